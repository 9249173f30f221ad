// Unit tests for DAPO's dynamic sampling filter and overlong penalty.
#include "rlg/Runtime/Algorithms/Filters.h"

#include "TensorTestSupport.h"

using namespace rlg::runtime;
using namespace rlg::runtime::testing;

namespace {

at::Tensor longs(std::initializer_list<int64_t> values) {
  return at::tensor(at::ArrayRef<int64_t>(values.begin(), values.size()),
                    at::kLong);
}

void expectIndices(const at::Tensor &actual,
                   std::initializer_list<int64_t> expected) {
  ASSERT_EQ(actual.scalar_type(), at::kLong);
  ASSERT_EQ(actual.dim(), 1);
  std::vector<int64_t> got(actual.data_ptr<int64_t>(),
                           actual.data_ptr<int64_t>() + actual.numel());
  EXPECT_EQ(got, std::vector<int64_t>(expected));
}

// 3 prompts x 2 samples: rewards [1, 1 | 0, 1 | 0.5, 0.5]:
// groups 0 and 2 are all equal and dropped; group 1 (rows 2, 3) is kept.
TEST(DynamicSamplingTest, TwoSamplesByHand) {
  GroupFilterResult out =
      filterZeroVarianceGroups(vec({1, 1, 0, 1, 0.5, 0.5}), 2);
  expectIndices(out.keptGroups, {1});
  expectIndices(out.keptRows, {2, 3});
}

// 3 prompts x 3 samples: [0, 0, 1 | 1, 1, 1 | 0.1, 0.1, 0.1 + 1e-9]:
// group 1 is dropped; group 2 differs (barely) and is kept.
// 0.1 three times is dropped even though its float mean is not exactly 0.1.
TEST(DynamicSamplingTest, ThreeSamplesByHand) {
  GroupFilterResult out = filterZeroVarianceGroups(
      vec({0, 0, 1, 1, 1, 1, 0.1, 0.1, 0.1 + 1e-9}), 3);
  expectIndices(out.keptGroups, {0, 2});
  expectIndices(out.keptRows, {0, 1, 2, 6, 7, 8});
  GroupFilterResult same =
      filterZeroVarianceGroups(vec({0.1, 0.1, 0.1, 0, 1, 0}), 3);
  expectIndices(same.keptGroups, {1});
  expectIndices(same.keptRows, {3, 4, 5});
}

TEST(DynamicSamplingTest, AllDroppedAndAllKept) {
  GroupFilterResult none = filterZeroVarianceGroups(vec({1, 1, 0, 0}), 2);
  EXPECT_EQ(none.keptGroups.numel(), 0);
  EXPECT_EQ(none.keptRows.numel(), 0);
  GroupFilterResult all = filterZeroVarianceGroups(vec({1, 0, 0, 1}), 2);
  expectIndices(all.keptRows, {0, 1, 2, 3});
}

TEST(DynamicSamplingTest, Errors) {
  expectInvalid(
      [] {
        filterZeroVarianceGroups(vec({1, 0, 1}), 2);
      },
      {"filterZeroVarianceGroups", "n = 2", "N = 3"});
  expectInvalid(
      [] {
        filterZeroVarianceGroups(vec({1, 0}), 1);
      },
      {"at least 2"});
  expectInvalid(
      [] {
        filterZeroVarianceGroups(mat({{1, 0}}), 2);
      },
      {"seqRewards", "1-D", "[1, 2]"});
}

// max 20, buffer 4: 0 up to 16 tokens, then (16 - len) / 4, -1 from 20 on.
//   lengths 10, 16, 17, 18, 20, 25 -> 0, 0, -0.25, -0.5, -1, -1.
TEST(OverlongPenaltyTest, ByHand) {
  at::Tensor p = computeOverlongPenalty(longs({10, 16, 17, 18, 20, 25}), 20, 4);
  EXPECT_EQ(p.scalar_type(), at::kFloat);
  expectNear(p, vec({0, 0, -0.25, -0.5, -1, -1}), 1e-7);
  // Float lengths keep their dtype; 19 -> -0.75.
  expectNear(computeOverlongPenalty(vec({19, 0}), 20, 4), vec({-0.75, 0}),
             1e-12);
}

TEST(OverlongPenaltyTest, Errors) {
  expectInvalid([] { computeOverlongPenalty(longs({1}), 20, 0); },
                {"computeOverlongPenalty", "buffer = 0", "maxLength = 20"});
  expectInvalid([] { computeOverlongPenalty(longs({1}), 4, 4); },
                {"0 < buffer < maxLength"});
  expectInvalid(
      [] {
        computeOverlongPenalty(mat({{1, 2}}), 20, 4);
      },
      {"lengths", "[1, 2]"});
}

} // namespace
