//! Terraform's `number`: an integer or a float, written without a trailing `.0` for integers.

use std::fmt;

/// A Terraform number. Integers stay integers in the output (`3`, not `3.0`).
///
/// ```
/// use terrane_core::Number;
/// assert_eq!(Number::from(3).to_string(), "3");
/// assert_eq!(Number::from(0.7).to_string(), "0.7");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub enum Number {
    /// A whole number.
    Int(i64),
    /// A whole number above `i64::MAX` (a `u64`), kept exact: Terraform's numbers
    /// are arbitrary-precision, and a float would round it (`u64::MAX` would be
    /// written as 18446744073709552000).
    UInt(u64),
    /// A number with a fraction.
    Float(f64),
}

impl Number {
    /// The value as f64 (for checks).
    pub fn as_f64(&self) -> f64 {
        match *self {
            Number::Int(i) => i as f64,
            Number::UInt(u) => u as f64,
            Number::Float(f) => f,
        }
    }
    /// True unless the value is NaN or infinite (which JSON cannot hold).
    pub fn is_finite(&self) -> bool {
        match *self {
            Number::Int(_) | Number::UInt(_) => true,
            Number::Float(f) => f.is_finite(),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Number::Int(i) => write!(f, "{i}"),
            Number::UInt(u) => write!(f, "{u}"),
            Number::Float(x) if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 => {
                write!(f, "{}", x as i64)
            }
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

macro_rules! int_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(v: $t) -> Self { Number::Int(v as i64) }
        }
    )*};
}
int_from!(i8, i16, i32, i64, u8, u16, u32, usize);

impl From<u64> for Number {
    fn from(v: u64) -> Self {
        match i64::try_from(v) {
            Ok(i) => Number::Int(i),
            Err(_) => Number::UInt(v),
        }
    }
}
impl From<f64> for Number {
    fn from(v: f64) -> Self {
        Number::Float(v)
    }
}
impl From<f32> for Number {
    fn from(v: f32) -> Self {
        Number::Float(v as f64)
    }
}
