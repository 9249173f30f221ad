// ParserTest: to be written.
