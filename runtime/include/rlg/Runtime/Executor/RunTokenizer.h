// The tokenizer a run encodes its text with.
#pragma once

#include "rlg/Runtime/Data/Tokenizer.h"
#include "rlg/Schedule/Schedule.h"

#include <memory>
#include <string>

namespace rlg::runtime {

/// The tokenizer of the schedule's Hugging Face models (their checkpoint
/// folder's tokenizer.json; every such model must name the same one), or the
/// built-in tasks' CharTokenizer when no model comes from a Hugging Face
/// checkpoint. Relative paths are resolved against `schedulePath`'s folder.
/// Throws RunError for a missing or unreadable tokenizer.
std::unique_ptr<const Tokenizer>
makeRunTokenizer(const schedule::Schedule &schedule,
                 const std::string &schedulePath);

} // namespace rlg::runtime
