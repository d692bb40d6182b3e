//! Exact point values in integer hundredths.
//!
//! Score sheets use half points ("扣0.5分") and, after N/A rescaling, hundredths. Floating point
//! would turn 89.5 into 89.49999 and move a case across the 90-point boundary, so every point
//! value in pingcha is an `i64` count of hundredths.

use std::fmt;
use std::ops::{Add, AddAssign, Mul, Neg, Sub, SubAssign};
use std::str::FromStr;

/// A number of points, stored as hundredths of a point (`Points(150)` is 1.5 points).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(i64);

impl Points {
    /// Zero points.
    pub const ZERO: Points = Points(0);

    /// Points from a count of hundredths.
    pub const fn from_hundredths(h: i64) -> Self {
        Points(h)
    }

    /// Whole points.
    pub const fn whole(p: i64) -> Self {
        Points(p * 100)
    }

    /// The count of hundredths.
    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// True when this is a whole multiple of `step` (a zero step divides nothing but zero).
    pub fn is_multiple_of(self, step: Points) -> bool {
        if step.0 == 0 { self.0 == 0 } else { self.0 % step.0 == 0 }
    }

    /// `self * num / den`, rounded half away from zero to the nearest hundredth.
    ///
    /// Used for N/A rescaling (earned × total / applicable). `den` must be positive.
    pub fn scale(self, num: Points, den: Points) -> Points {
        let n = i128::from(self.0) * i128::from(num.0);
        let d = i128::from(den.0);
        let q = (2 * n + d * n.signum()) / (2 * d);
        Points(q as i64)
    }

    /// The smaller of two values.
    pub fn min(self, other: Points) -> Points {
        Points(self.0.min(other.0))
    }

    /// The larger of two values.
    pub fn max(self, other: Points) -> Points {
        Points(self.0.max(other.0))
    }

    /// This value as a JSON-friendly float. Only for display and serialisation, never arithmetic.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (int, frac) = (abs / 100, abs % 100);
        let s = match frac {
            0 => format!("{sign}{int}"),
            f if f % 10 == 0 => format!("{sign}{int}.{}", f / 10),
            f => format!("{sign}{int}.{f:02}"),
        };
        f.pad(&s)
    }
}

/// Why a text is not a point value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointsParseError {
    /// Not a decimal number.
    NotANumber,
    /// More than two decimal places.
    TooPrecise,
    /// Too large to represent.
    TooLarge,
}

impl FromStr for Points {
    type Err = PointsParseError;

    /// Parses "5", "0.5", "-2.25", "89.50" exactly; refuses "0.125" and exponents.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (neg, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !all_digits(int) || !all_digits(frac) || (s.contains('.') && frac.is_empty()) {
            return Err(PointsParseError::NotANumber);
        }
        let frac = frac.trim_end_matches('0');
        if frac.len() > 2 {
            return Err(PointsParseError::TooPrecise);
        }
        let int: i64 = int.parse().map_err(|_| PointsParseError::TooLarge)?;
        let frac_h: i64 = format!("{frac:0<2}")
            .parse()
            .map_err(|_| PointsParseError::NotANumber)?;
        let h = int
            .checked_mul(100)
            .and_then(|v| v.checked_add(frac_h))
            .ok_or(PointsParseError::TooLarge)?;
        Ok(Points(if neg { -h } else { h }))
    }
}

impl Add for Points {
    type Output = Points;
    fn add(self, rhs: Points) -> Points {
        Points(self.0 + rhs.0)
    }
}

impl AddAssign for Points {
    fn add_assign(&mut self, rhs: Points) {
        self.0 += rhs.0;
    }
}

impl Sub for Points {
    type Output = Points;
    fn sub(self, rhs: Points) -> Points {
        Points(self.0 - rhs.0)
    }
}

impl SubAssign for Points {
    fn sub_assign(&mut self, rhs: Points) {
        self.0 -= rhs.0;
    }
}

impl Neg for Points {
    type Output = Points;
    fn neg(self) -> Points {
        Points(-self.0)
    }
}

impl Mul<i64> for Points {
    type Output = Points;
    fn mul(self, rhs: i64) -> Points {
        Points(self.0 * rhs)
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        iter.fold(Points::ZERO, Add::add)
    }
}

impl serde::Serialize for Points {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 100 == 0 {
            s.serialize_i64(self.0 / 100)
        } else {
            s.serialize_f64(self.as_f64())
        }
    }
}

impl<'de> serde::Deserialize<'de> for Points {
    /// Accepts integers, floats (through their shortest decimal form) and decimal strings.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Points;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of points with at most two decimals")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Points, E> {
                v.checked_mul(100)
                    .map(Points)
                    .ok_or_else(|| E::custom("number too large"))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Points, E> {
                i64::try_from(v)
                    .map_err(|_| E::custom("number too large"))
                    .and_then(|v| self.visit_i64(v))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Points, E> {
                if !v.is_finite() {
                    return Err(E::custom("number is not finite"));
                }
                self.visit_str(&format!("{v}"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Points, E> {
                v.parse().map_err(|e| match e {
                    PointsParseError::TooPrecise => E::custom("at most two decimal places"),
                    PointsParseError::TooLarge => E::custom("number too large"),
                    PointsParseError::NotANumber => E::custom("not a number"),
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays_exactly() {
        for (text, h, shown) in [
            ("5", 500, "5"),
            ("0.5", 50, "0.5"),
            ("89.50", 8950, "89.5"),
            ("-2.25", -225, "-2.25"),
            ("0.05", 5, "0.05"),
        ] {
            let p: Points = text.parse().unwrap();
            assert_eq!(p.hundredths(), h, "{text}");
            assert_eq!(p.to_string(), shown);
        }
        assert_eq!("0.125".parse::<Points>(), Err(PointsParseError::TooPrecise));
        assert_eq!("1e3".parse::<Points>(), Err(PointsParseError::NotANumber));
        assert_eq!("1.".parse::<Points>(), Err(PointsParseError::NotANumber));
    }

    #[test]
    fn scale_rounds_half_away_from_zero() {
        // 85 earned of 95 applicable, rescaled to 100: 89.4736… → 89.47
        let s = Points::whole(85).scale(Points::whole(100), Points::whole(95));
        assert_eq!(s, Points::from_hundredths(8947));
        // 0.005 rounds up to 0.01
        let s = Points::from_hundredths(1).scale(Points::from_hundredths(50), Points::whole(1));
        assert_eq!(s, Points::from_hundredths(1));
    }

    #[test]
    fn float_input_goes_through_its_decimal_form() {
        let p: Points = serde_json::from_str("0.1").unwrap();
        assert_eq!(p.hundredths(), 10);
        let p: Points = serde_json::from_str("89.5").unwrap();
        assert_eq!(p.hundredths(), 8950);
    }
}
