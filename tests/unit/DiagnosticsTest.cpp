// DiagnosticsTest: to be written.
