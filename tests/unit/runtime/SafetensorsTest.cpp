// safetensors: bit-exact round trips of every dtype, sharded checkpoints,
// and damaged files refused with the problem named.
#include "rlg/Runtime/Checkpoint/Safetensors.h"
#include "rlg/Runtime/Checkpoint/CheckpointError.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace rlg::runtime;

namespace {

class SafetensorsTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("rlg-safetensors-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  std::string bytesOf(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  void writeBytes(const fs::path &path, const std::string &bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
  }
  /// A file with a hand-written header and `data` bytes after it.
  fs::path withHeader(const std::string &header, size_t data) {
    std::string file(8, '\0');
    for (int i = 0; i < 8; ++i)
      file[i] = static_cast<char>(header.size() >> (8 * i) & 0xff);
    file += header + std::string(data, '\0');
    fs::path path = dir / "hand.safetensors";
    writeBytes(path, file);
    return path;
  }
  std::string problemOf(const fs::path &path) {
    try {
      SafetensorsFile file(path);
    } catch (const CheckpointError &e) {
      return e.problem();
    }
    return "no error";
  }

  fs::path dir;
};

std::map<std::string, at::Tensor> everyDtype() {
  torch::manual_seed(3);
  std::map<std::string, at::Tensor> tensors;
  tensors["f64"] = torch::randn({3, 2}, torch::kDouble);
  tensors["f32"] = torch::randn({4, 5});
  tensors["f16"] = torch::randn({7}).to(torch::kHalf);
  tensors["bf16"] = torch::randn({2, 3, 4}).to(torch::kBFloat16);
  tensors["i64"] = torch::randint(-1000, 1000, {5}, torch::kLong);
  tensors["i32"] = torch::randint(-1000, 1000, {2, 2}, torch::kInt);
  tensors["i16"] = torch::randint(-1000, 1000, {3}, torch::kShort);
  tensors["i8"] = torch::randint(-100, 100, {3}, torch::kChar);
  tensors["u8"] = torch::randint(0, 255, {6}, torch::kByte);
  tensors["bool"] = torch::rand({5}) > 0.5;
  tensors["scalar"] = torch::tensor(2.5f);
  tensors["empty"] = torch::zeros({0, 3});
  return tensors;
}

void expectBitExact(const std::map<std::string, at::Tensor> &a,
                    const std::map<std::string, at::Tensor> &b) {
  ASSERT_EQ(a.size(), b.size());
  for (const auto &[name, t] : a) {
    ASSERT_TRUE(b.count(name)) << name;
    const at::Tensor &u = b.at(name);
    EXPECT_EQ(t.scalar_type(), u.scalar_type()) << name;
    EXPECT_EQ(t.sizes(), u.sizes()) << name;
    at::Tensor x = t.contiguous(), y = u.contiguous();
    EXPECT_EQ(0, std::memcmp(x.data_ptr(), y.data_ptr(),
                             x.numel() * x.element_size()))
        << name;
  }
}

} // namespace

TEST_F(SafetensorsTest, RoundTripIsBitExactForEveryDtype) {
  auto tensors = everyDtype();
  writeSafetensors(dir / "m.safetensors", tensors, {{"format", "pt"}});
  SafetensorsFile file(dir / "m.safetensors");
  EXPECT_EQ(file.metadata().at("format"), "pt");
  std::map<std::string, at::Tensor> back;
  for (const auto &item : file.entries())
    back[item.first] = file.tensor(item.first);
  expectBitExact(tensors, back);
  // The header is padded to 8 bytes, so the data starts aligned.
  std::string bytes = bytesOf(dir / "m.safetensors");
  uint64_t header = 0;
  for (int i = 7; i >= 0; --i)
    header = header << 8 | static_cast<uint8_t>(bytes[i]);
  EXPECT_EQ(header % 8, 0u);
  // Written twice, the file is the same bytes.
  writeSafetensors(dir / "again.safetensors", tensors, {{"format", "pt"}});
  EXPECT_EQ(bytes, bytesOf(dir / "again.safetensors"));
}

TEST_F(SafetensorsTest, ReadsShardedCheckpointsThroughTheIndex) {
  auto tensors = everyDtype();
  std::map<std::string, at::Tensor> first, second;
  std::string weightMap;
  for (const auto &[name, t] : tensors) {
    bool one = name < "i";
    (one ? first : second)[name] = t;
    weightMap += std::string(weightMap.empty() ? "" : ",") + "\"" + name +
                 "\": \"model-0000" + (one ? "1" : "2") +
                 "-of-00002.safetensors\"";
  }
  writeSafetensors(dir / "model-00001-of-00002.safetensors", first);
  writeSafetensors(dir / "model-00002-of-00002.safetensors", second);
  writeBytes(dir / "model.safetensors.index.json",
             "{\"metadata\": {}, \"weight_map\": {" + weightMap + "}}");
  expectBitExact(tensors, readSafetensorsCheckpoint(dir));

  // A shard holding a tensor the index puts elsewhere is refused.
  writeSafetensors(dir / "model-00002-of-00002.safetensors", tensors);
  EXPECT_THROW(readSafetensorsCheckpoint(dir), CheckpointError);
}

TEST_F(SafetensorsTest, RefusesDamagedFilesNamingTheProblem) {
  writeSafetensors(dir / "m.safetensors", {{"w", torch::ones({4, 4})}});
  std::string good = bytesOf(dir / "m.safetensors");

  writeBytes(dir / "short", good.substr(0, 5));
  EXPECT_NE(problemOf(dir / "short").find("shorter than the 8-byte"),
            std::string::npos);
  writeBytes(dir / "truncated", good.substr(0, good.size() - 4));
  EXPECT_NE(problemOf(dir / "truncated").find("a truncated file?"),
            std::string::npos)
      << problemOf(dir / "truncated");
  std::string huge = good;
  huge[6] = '\x7f';
  writeBytes(dir / "huge", huge);
  EXPECT_NE(problemOf(dir / "huge").find("its header claims"),
            std::string::npos);
  std::string garbled = good;
  garbled[9] = '#';
  writeBytes(dir / "garbled", garbled);
  EXPECT_NE(problemOf(dir / "garbled").find("not JSON"), std::string::npos);

  auto shape = [&](const std::string &entry, size_t data) {
    return problemOf(withHeader("{\"w\": " + entry + "}", data));
  };
  EXPECT_NE(shape(R"({"dtype":"F32","shape":[4,4],"data_offsets":[0,60]})", 60)
                .find("needs 64"),
            std::string::npos);
  EXPECT_NE(shape(R"({"dtype":"F8","shape":[2],"data_offsets":[0,2]})", 2)
                .find("dtype 'F8'"),
            std::string::npos);
  EXPECT_NE(shape(R"({"dtype":"F32","shape":[-1],"data_offsets":[0,4]})", 4)
                .find("negative"),
            std::string::npos);
  EXPECT_NE(shape(R"({"dtype":"F32","shape":[1]})", 4).find("data_offsets"),
            std::string::npos);
  EXPECT_NE(shape(R"({"dtype":"F32","shape":[1],"data_offsets":[0,4]})", 8)
                .find("no tensor owns"),
            std::string::npos);
  EXPECT_NE(
      problemOf(withHeader(
                    R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                    R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                    12))
          .find("overlap"),
      std::string::npos);
  EXPECT_NE(problemOf(dir / "missing").find("cannot open"), std::string::npos);
  EXPECT_THROW(SafetensorsFile(dir / "m.safetensors").tensor("nope"),
               CheckpointError);
}
