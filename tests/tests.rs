//! The one integration test binary: readers across formats, refusal of bad files, the
//! number scanner against other projects' suites, and the dataset end to end.

mod it;
