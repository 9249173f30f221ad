// RuntimeInfoTest: to be written.
