// LexerTest: to be written.
