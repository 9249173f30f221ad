// StepGraphTest: to be written.
