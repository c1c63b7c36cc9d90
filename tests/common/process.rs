//! Child processes the tests start (`twilio-mock`, the official libraries' scripts).

use std::{
    process::{Child, ExitStatus},
    time::{Duration, Instant},
};

/// Waits for `child` to exit; kills it and fails the test if it is still running after
/// `patience` (`what` names it and says what it should have exited on).
pub fn wait_for_exit(child: &mut Child, patience: Duration, what: &str) -> ExitStatus {
    let deadline = Instant::now() + patience;
    loop {
        if let Some(status) = child.try_wait().expect("the child can be waited on") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {patience:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
