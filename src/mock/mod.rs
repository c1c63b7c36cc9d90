//! The embedded Twilio emulator (feature `mock`).
