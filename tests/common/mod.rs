//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod emulator;
pub mod process;
pub mod schema;
pub mod tools;
pub mod twilio_reference;
