// Gathering the rows each data-parallel rank computed into the whole batch.
#pragma once

#include "rlg/Runtime/Distributed/Communicator.h"

namespace rlg::runtime {

/// Member i of `group` holds rows sliceItems(total, group.size(), i) of a
/// batch of `total` rows (the other dimensions equal everywhere); every
/// member gets all `total` rows, in order. Slices that differ by a row are
/// padded for the collective and trimmed after.
at::Tensor gatherRowSlices(const at::Tensor &local, int64_t total,
                           Communicator &group);

/// `tensor` [N, C, ...] widened to `width` columns with `value`: on the
/// right, or on the left when `left` (left-padded prompts).
at::Tensor padColumns(const at::Tensor &tensor, int64_t width, double value,
                      bool left = false);

/// The largest of every member's `value`.
int64_t maxOverGroup(int64_t value, Communicator &group);

} // namespace rlg::runtime
