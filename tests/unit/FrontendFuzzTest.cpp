// FrontendFuzzTest: to be written.
