// SemaTest: to be written.
