//! Stored text: how long a note or field may be, and cleaning it for the terminal.
