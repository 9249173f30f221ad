// CompilerContextTest: to be written.
