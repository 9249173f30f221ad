// Turns .rlg source text into tokens, reporting lexical errors.
#pragma once

#include "rlg/DSL/Token.h"
#include "rlg/Support/Diagnostics.h"

#include <vector>

namespace rlg::dsl {

/// Splits one buffer into tokens. Lexical errors are reported to `diags` and
/// produce an Error token, so that parsing can continue; a string with a bad
/// escape is still a String token (the error is reported, the rest is read).
std::vector<Token> lex(uint32_t bufferId, const SourceManager &sources,
                       DiagnosticEngine &diags);

} // namespace rlg::dsl
