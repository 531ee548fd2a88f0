//! Official codes, each parsed into a type that can only hold a valid value.

mod admin;
mod uscc;
mod zongdi;

pub use admin::AdminCode;
pub use uscc::{Uscc, uscc_check_char};
pub use zongdi::{OwnershipType, ParcelType, ZongdiCode};
