/* TEST ONLY — never ship this DLL, never copy it into dist/.
 *
 * Wine 8 (Debian 12) has no bcryptprimitives.dll, whose ProcessPrng Rust's std (>= 1.78) needs
 * to start on Windows. Built as bcryptprimitives.dll and placed beside a test copy of the exe,
 * it lets the exe run under Wine: it fills the buffer from RtlGenRandom, the system RNG. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!RtlGenRandom(data, n)) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
