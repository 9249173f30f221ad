// Checkpoints: round trips, atomic writes, pruning, and every way a
// checkpoint can be damaged or belong to another run.
#include "rlg/Runtime/Checkpoint/Checkpoint.h"
#include "rlg/Runtime/Checkpoint/RngState.h"
#include "rlg/Runtime/Support/Encoding.h"
#include "rlg/Runtime/Support/Files.h"

#include "ModelTestSupport.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <atomic>
#include <fstream>
#include <unistd.h>

using namespace rlg;
using namespace rlg::runtime;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A two-layer net with a buffer, small enough to train in microseconds.
struct TinyNetImpl : torch::nn::Module {
  TinyNetImpl(int64_t in, int64_t hidden) {
    fc1 = register_module("fc1", torch::nn::Linear(in, hidden));
    fc2 = register_module("fc2", torch::nn::Linear(hidden, 1));
    scale = register_buffer("scale", torch::ones({hidden}));
  }
  torch::Tensor forward(const torch::Tensor &x) {
    return fc2(torch::tanh(fc1(x)) * scale);
  }
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  torch::Tensor scale;
};
TORCH_MODULE(TinyNet);

constexpr int64_t kIn = 4;
constexpr int64_t kHidden = 8;

RunFingerprint tinyFingerprint(int64_t hidden = kHidden,
                               std::string program = "tiny") {
  ModelArch arch;
  arch.layers = 2;
  arch.hidden = hidden;
  arch.ffn = 2 * hidden;
  arch.heads = 2;
  arch.kvHeads = 1;
  arch.vocab = 16;
  return {std::move(program), {{"actor", "policy", arch}}};
}

// One training run: a net, its AdamW, a host generator and a data position.
struct TrainRun {
  explicit TrainRun(uint64_t seed, int64_t hidden = kHidden)
      : net((torch::manual_seed(seed), TinyNet(kIn, hidden))),
        optimizer(net->parameters(),
                  torch::optim::AdamWOptions(0.05).weight_decay(0.1)),
        sampler(seed) {}

  // One update on a batch drawn from torch's generator, so that a resumed
  // run matches only when the generator was restored too.
  void step() {
    torch::Tensor x = torch::randn({6, kIn});
    optimizer.zero_grad();
    torch::Tensor loss = net->forward(x).pow(2).mean();
    loss.backward();
    optimizer.step();
    sampler();
  }

  CheckpointContent content(RunFingerprint fingerprint = tinyFingerprint()) {
    CheckpointContent c;
    c.fingerprint = std::move(fingerprint);
    c.models["actor"] = net.get();
    c.optimizers["actor"] = &optimizer;
    c.hostRngs["sampler"] = &sampler;
    return c;
  }

  TinyNet net;
  torch::optim::AdamW optimizer;
  std::mt19937_64 sampler;
};

std::vector<torch::Tensor> snapshot(torch::nn::Module &module) {
  std::vector<torch::Tensor> out;
  for (const auto &p : module.parameters())
    out.push_back(p.detach().clone());
  for (const auto &b : module.buffers())
    out.push_back(b.detach().clone());
  return out;
}

std::vector<std::pair<std::string, torch::Tensor>>
namedTensorsOf(torch::nn::Module &module) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto &item : module.named_parameters())
    out.emplace_back(item.key(), item.value());
  return out;
}

// findLatestCheckpoint as a string ("" for none): gtest prints strings.
std::string latestIn(const fs::path &dir) {
  std::optional<fs::path> latest = findLatestCheckpoint(dir);
  return latest ? latest->string() : "";
}

void expectSame(const std::vector<torch::Tensor> &a,
                const std::vector<torch::Tensor> &b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(torch::equal(a[i], b[i])) << "tensor " << i;
}

class CheckpointTest : public ::testing::Test {
protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("rlg-checkpoint-test-" + std::to_string(::getpid()) + "-" +
            std::to_string(counter++));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Saves a trained run at step 3 and returns the step directory.
  fs::path saveTrained() {
    TrainRun run(1);
    for (int i = 0; i < 3; ++i)
      run.step();
    return saveCheckpoint(dir_, 3, run.content());
  }

  // loadCheckpoint into a fresh run; the CheckpointError's message.
  std::string loadError(const fs::path &path, TrainRun &run,
                        RunFingerprint fingerprint = tinyFingerprint()) {
    CheckpointContent content = run.content(std::move(fingerprint));
    try {
      loadCheckpoint(path, content);
    } catch (const CheckpointError &error) {
      EXPECT_FALSE(error.hint().empty()) << error.what();
      return error.what();
    }
    ADD_FAILURE() << "loading " << path << " did not fail";
    return "";
  }
  std::string loadError(const fs::path &path) {
    TrainRun fresh(7);
    return loadError(path, fresh);
  }

  json readJson(const fs::path &path) {
    std::ifstream in(path);
    return json::parse(in);
  }
  void writeText(const fs::path &path, const std::string &text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
  }

  fs::path dir_;
};

} // namespace

TEST_F(CheckpointTest, RoundTripResumesExactly) {
  TrainRun original(1);
  for (int i = 0; i < 3; ++i)
    original.step();
  CheckpointContent saved = original.content();
  saved.stageIndex = 1;
  saved.dataPositions["prompts"] = {2, 5, 42};
  saved.dataPositions["eval"] = {0, 17, 0xfedcba9876543210ULL};
  saved.runState = {{"kl_coef", 0.05}, {"note", "after warm-up"}};
  fs::path written = saveCheckpoint(dir_, 3, saved);
  EXPECT_EQ(written.string(), (dir_ / "step-000003").string());
  std::vector<torch::Tensor> atSave = snapshot(*original.net);

  // The uninterrupted run goes on: one more update, then some draws.
  original.step();
  std::vector<torch::Tensor> afterStep = snapshot(*original.net);
  torch::Tensor draws = torch::rand({5});
  uint64_t hostDraw = original.sampler();

  // A new process: other initial weights, a fresh optimizer, then resume.
  TrainRun resumed(99);
  torch::manual_seed(12345);
  CheckpointContent content = resumed.content();
  LoadedCheckpoint loaded = loadCheckpoint(dir_, content);
  EXPECT_EQ(loaded.path.string(), (dir_ / "step-000003").string());
  EXPECT_EQ(loaded.step, 3);
  EXPECT_EQ(loaded.stageIndex, 1);
  EXPECT_EQ(loaded.formatVersion, kCheckpointFormatVersion);
  EXPECT_EQ(content.stageIndex, 1);
  EXPECT_EQ(content.dataPositions, saved.dataPositions);
  EXPECT_EQ(content.runState, saved.runState);
  expectSame(snapshot(*resumed.net), atSave);

  // AdamW's moments and step count came back: the next update is identical.
  resumed.step();
  expectSame(snapshot(*resumed.net), afterStep);
  EXPECT_TRUE(torch::equal(torch::rand({5}), draws));
  EXPECT_EQ(resumed.sampler(), hostDraw);
}

TEST_F(CheckpointTest, StateJsonDescribesTheCheckpoint) {
  fs::path path = saveTrained();
  json state = readJson(path / "state.json");
  EXPECT_EQ(state["format_version"], kCheckpointFormatVersion);
  EXPECT_EQ(state["step"], 3);
  EXPECT_EQ(state["fingerprint"]["program"], "tiny");
  EXPECT_EQ(state["fingerprint"]["models"][0]["arch"]["hidden"], kHidden);
  EXPECT_EQ(state["models"]["actor"]["file"], "model-actor.pt");
  EXPECT_EQ(state["models"]["actor"]["tensors"], 5);
  EXPECT_EQ(state["optimizers"]["actor"]["file"], "optim-actor.pt");
  ASSERT_EQ(state["files"].size(), 2u);
  for (const json &file : state["files"]) {
    FileDigest digest = digestFile(path / file["path"].get<std::string>());
    EXPECT_EQ(file["bytes"], digest.bytes);
    EXPECT_EQ(file["fnv1a64"], hex64(digest.fnv1a64));
  }
  EXPECT_TRUE(state["rng"]["torch_cpu"].is_string());
  EXPECT_TRUE(state["rng"]["host"]["sampler"].is_string());
  EXPECT_TRUE(state["state_checksum"].is_string());
}

TEST_F(CheckpointTest, LatestAndKeepPruning) {
  TrainRun run(1);
  for (int64_t step = 1; step <= 5; ++step) {
    run.step();
    saveCheckpoint(dir_, step, run.content(), /*keep=*/2);
    EXPECT_EQ(latestIn(dir_), (dir_ / checkpointDirName(step)).string());
  }
  auto listed = listCheckpoints(dir_);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].first, 4);
  EXPECT_EQ(listed[1].first, 5);
  EXPECT_EQ(readFileBytes(dir_ / "latest"), "step-000005\n");
  // Nothing but the checkpoints and the pointer is left.
  int entries = 0;
  for (const auto &entry : fs::directory_iterator(dir_)) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 3);
}

TEST_F(CheckpointTest, KeepZeroKeepsEveryCheckpoint) {
  TrainRun run(1);
  for (int64_t step = 10; step <= 40; step += 10)
    saveCheckpoint(dir_, step, run.content(), /*keep=*/0);
  EXPECT_EQ(listCheckpoints(dir_).size(), 4u);
  EXPECT_EQ(checkpointDirName(1234567), "step-1234567");
}

TEST_F(CheckpointTest, ResumingEarlierKeepsLaterCheckpointsAndReplacesSame) {
  TrainRun run(1);
  for (int64_t step = 1; step <= 3; ++step) {
    run.step();
    saveCheckpoint(dir_, step, run.content(), /*keep=*/3);
  }
  // A run resumed from step 1 writes step 2 again: it replaces the old
  // step 2, leaves step 3 (not older than itself) and `latest` is step 2.
  TrainRun other(5);
  fs::path path = saveCheckpoint(dir_, 2, other.content(), /*keep=*/1);
  EXPECT_EQ(path.string(), (dir_ / "step-000002").string());
  auto listed = listCheckpoints(dir_);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].first, 2);
  EXPECT_EQ(listed[1].first, 3);
  EXPECT_EQ(latestIn(dir_), (dir_ / "step-000002").string());
  TrainRun check(9);
  CheckpointContent content = check.content();
  loadCheckpoint(dir_, content);
  expectSame(snapshot(*check.net), snapshot(*other.net));
}

TEST_F(CheckpointTest, LeftoverTemporariesAreIgnoredAndCleaned) {
  fs::create_directories(dir_);
  // A crashed writer (no such process) and a live one (our parent).
  fs::path dead = dir_ / ".step-000009.tmp-999999999";
  fs::path live = dir_ / (".step-000008.tmp-" + std::to_string(::getppid()));
  fs::create_directories(dead);
  fs::create_directories(live);
  writeText(dead / "state.json", "{\"format_version\": 1");
  writeText(dir_ / "latest.tmp-999999999", "step-000009\n");
  EXPECT_EQ(latestIn(dir_), "");
  EXPECT_TRUE(listCheckpoints(dir_).empty());

  TrainRun run(1);
  saveCheckpoint(dir_, 1, run.content());
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_FALSE(fs::exists(dir_ / "latest.tmp-999999999"));
  EXPECT_TRUE(fs::exists(live)) << "a running writer's directory is kept";
  EXPECT_EQ(latestIn(dir_), (dir_ / "step-000001").string());
}

TEST_F(CheckpointTest, LatestNeverPointsAtAnIncompleteCheckpoint) {
  TrainRun run(1);
  saveCheckpoint(dir_, 1, run.content());
  // A writer that died mid-way through step 2 left only its temporary.
  fs::create_directories(dir_ / ".step-000002.tmp-999999999");
  EXPECT_EQ(latestIn(dir_), (dir_ / "step-000001").string());
  // A writer that died between the rename and `latest`: step 2 is complete
  // and `latest` still names step 1, which is complete too.
  saveCheckpoint(dir_ / "other", 2, run.content());
  fs::rename(dir_ / "other" / "step-000002", dir_ / "step-000002");
  EXPECT_EQ(latestIn(dir_), (dir_ / "step-000001").string());
  // Without `latest`, the newest complete checkpoint is taken.
  fs::remove(dir_ / "latest");
  EXPECT_EQ(latestIn(dir_), (dir_ / "step-000002").string());
}

TEST_F(CheckpointTest, ExplicitStepDirectoryLoads) {
  TrainRun run(1);
  saveCheckpoint(dir_, 1, run.content(), 0);
  run.step();
  saveCheckpoint(dir_, 2, run.content(), 0);
  TrainRun check(3);
  CheckpointContent content = check.content();
  EXPECT_EQ(loadCheckpoint(dir_ / "step-000001", content).step, 1);
  EXPECT_EQ(resolveCheckpoint(dir_).string(), (dir_ / "step-000002").string());
}

TEST_F(CheckpointTest, MissingDirectory) {
  std::string message = loadError(dir_ / "nowhere");
  EXPECT_NE(message.find("nowhere: no such checkpoint directory"),
            std::string::npos)
      << message;
  fs::create_directories(dir_);
  message = loadError(dir_);
  EXPECT_NE(message.find("holds no checkpoint"), std::string::npos) << message;
}

TEST_F(CheckpointTest, LatestNamesAMissingCheckpoint) {
  saveTrained();
  writeText(dir_ / "latest", "step-000007\n");
  std::string message = loadError(dir_);
  EXPECT_NE(message.find("latest: names step-000007, which does not exist"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("step-000003"), std::string::npos) << message;
}

TEST_F(CheckpointTest, MissingFile) {
  fs::path path = saveTrained();
  fs::remove(path / "model-actor.pt");
  std::string message = loadError(path);
  EXPECT_NE(message.find("model-actor.pt: is missing (state.json lists it)"),
            std::string::npos)
      << message;
  fs::remove(path / "state.json");
  message = loadError(path);
  EXPECT_NE(message.find("state.json: is missing"), std::string::npos)
      << message;
}

TEST_F(CheckpointTest, TruncatedFile) {
  fs::path path = saveTrained();
  fs::path file = path / "model-actor.pt";
  auto size = fs::file_size(file);
  fs::resize_file(file, size / 2);
  std::string message = loadError(path);
  EXPECT_NE(
      message.find("model-actor.pt: is truncated: " + std::to_string(size / 2) +
                   " bytes, but state.json says " + std::to_string(size)),
      std::string::npos)
      << message;
}

TEST_F(CheckpointTest, FlippedByte) {
  fs::path path = saveTrained();
  fs::path file = path / "optim-actor.pt";
  std::string bytes = readFileBytes(file);
  bytes[bytes.size() / 2] ^= 0x01;
  writeText(file, bytes);
  std::string message = loadError(path);
  EXPECT_NE(message.find("optim-actor.pt: is corrupt: its FNV-1a 64 checksum "
                         "is "),
            std::string::npos)
      << message;
}

TEST_F(CheckpointTest, BadJson) {
  fs::path path = saveTrained();
  std::string text = readFileBytes(path / "state.json");
  writeText(path / "state.json", text.substr(0, text.size() / 2));
  std::string message = loadError(path);
  EXPECT_NE(message.find("state.json: is not valid JSON"), std::string::npos)
      << message;
}

TEST_F(CheckpointTest, EditedStateJson) {
  fs::path path = saveTrained();
  json state = readJson(path / "state.json");
  state["step"] = 4;
  writeText(path / "state.json", state.dump(2));
  std::string message = loadError(path);
  EXPECT_NE(message.find("state.json: does not match its own checksum"),
            std::string::npos)
      << message;
}

TEST_F(CheckpointTest, FutureFormatVersion) {
  fs::path path = saveTrained();
  json state = readJson(path / "state.json");
  state["format_version"] = kCheckpointFormatVersion + 1;
  state.erase("state_checksum");
  state["state_checksum"] = hex64(fnv1a64(state.dump()));
  writeText(path / "state.json", state.dump(2));
  std::string message = loadError(path);
  EXPECT_NE(message.find("has checkpoint format version 2, newer than this "
                         "runtime reads (version 1)"),
            std::string::npos)
      << message;
}

TEST_F(CheckpointTest, ModelWithOtherShapes) {
  fs::path path = saveTrained();
  TrainRun wider(1, /*hidden=*/16);
  std::string message = loadError(path, wider);
  EXPECT_NE(message.find("model-actor.pt: checkpoint has actor.fc1.weight "
                         "[8, 4] but the model has [16, 4]"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("checkpoint has actor.scale [8] but the model has "
                         "[16]"),
            std::string::npos)
      << message;
}

TEST_F(CheckpointTest, CheckpointOfAnotherRun) {
  fs::path path = saveTrained();
  TrainRun run(1);
  std::string message = loadError(path, run, tinyFingerprint(kHidden, "dpo"));
  EXPECT_NE(message.find("was written for program 'tiny' but this run is "
                         "'dpo'"),
            std::string::npos)
      << message;
  message = loadError(path, run, tinyFingerprint(16));
  EXPECT_NE(message.find("model 'actor': the checkpoint has hidden 8 but "
                         "this run has hidden 16"),
            std::string::npos)
      << message;
  RunFingerprint twoModels = tinyFingerprint();
  twoModels.models.push_back({"critic", "value", twoModels.models[0].arch});
  message = loadError(path, run, twoModels);
  EXPECT_NE(message.find("has no model 'critic', which this run has"),
            std::string::npos)
      << message;
}

TEST_F(CheckpointTest, FailedLoadChangesNothing) {
  fs::path path = saveTrained();
  fs::path file = path / "optim-actor.pt";
  std::string bytes = readFileBytes(file);
  bytes[bytes.size() - 10] ^= 0x40;
  writeText(file, bytes);
  TrainRun run(7);
  std::vector<torch::Tensor> before = snapshot(*run.net);
  uint64_t draw = std::mt19937_64(run.sampler)();
  loadError(path, run);
  expectSame(snapshot(*run.net), before);
  EXPECT_EQ(run.sampler(), draw);
}

TEST_F(CheckpointTest, OptimizerOverOtherParameters) {
  fs::path path = saveTrained();
  TrainRun run(1);
  // The same model, but an optimizer over only the first layer.
  torch::optim::AdamW partial(run.net->fc1->parameters(),
                              torch::optim::AdamWOptions(0.05));
  CheckpointContent content = run.content();
  content.optimizers["actor"] = &partial;
  try {
    loadCheckpoint(path, content);
    ADD_FAILURE() << "loaded an optimizer over other parameters";
  } catch (const CheckpointError &error) {
    EXPECT_NE(std::string(error.what())
                  .find("optimizer 'actor' group 0 was saved with 4 "
                        "parameters but this run's has 2"),
              std::string::npos)
        << error.what();
  }
}

TEST_F(CheckpointTest, UnwritableDirectoryIsACheckpointError) {
  fs::create_directories(dir_);
  writeText(dir_ / "file", "not a directory");
  TrainRun run(1);
  EXPECT_THROW(saveCheckpoint(dir_ / "file" / "ckpt", 1, run.content()),
               CheckpointError);
}

TEST(CheckpointRngTest, TorchGeneratorRoundTrip) {
  torch::manual_seed(3);
  torch::randn({7});
  TorchRngState state = captureTorchRng();
  EXPECT_FALSE(state.cpu.empty());
  torch::Tensor first = torch::randn({4});
  torch::randn({100});
  restoreTorchRng(state);
  EXPECT_TRUE(torch::equal(torch::randn({4}), first));
  TorchRngState bad;
  bad.cpu = "short";
  EXPECT_THROW(restoreTorchRng(bad), std::invalid_argument);
}

TEST(CheckpointRngTest, Mt19937RoundTrip) {
  std::mt19937_64 engine(42);
  engine.discard(1000);
  std::string text = mt19937State(engine);
  uint64_t next = engine();
  std::mt19937_64 other(1);
  restoreMt19937State(other, text);
  EXPECT_EQ(other(), next);
  std::mt19937_64 untouched(5);
  std::mt19937_64 copy = untouched;
  EXPECT_THROW(restoreMt19937State(untouched, "1 2 3"), std::invalid_argument);
  EXPECT_THROW(restoreMt19937State(untouched, text + " extra"),
               std::invalid_argument);
  EXPECT_EQ(untouched, copy);
}

TEST(CheckpointEncodingTest, Fnv1a64) {
  EXPECT_EQ(hex64(fnv1a64("")), "cbf29ce484222325");
  EXPECT_EQ(hex64(fnv1a64("a")), "af63dc4c8601ec8c");
  EXPECT_EQ(hex64(fnv1a64("foobar")), "85944171f73967e8");
  // In pieces, the same.
  uint64_t hash = fnv1a64("foo", 3);
  EXPECT_EQ(fnv1a64("bar", 3, hash), fnv1a64("foobar"));
}

TEST(CheckpointEncodingTest, Base64) {
  const std::pair<const char *, const char *> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"}};
  for (const auto &[plain, encoded] : vectors) {
    EXPECT_EQ(base64Encode(plain), encoded);
    EXPECT_EQ(base64Decode(encoded), std::string(plain));
  }
  std::string bytes;
  for (int i = 0; i < 256; ++i)
    bytes += static_cast<char>(i);
  EXPECT_EQ(base64Decode(base64Encode(bytes)), bytes);
  for (const char *bad : {"Zg=", "Z===", "Zg==Zg==", "Zm9*", "Zg=a"})
    EXPECT_EQ(base64Decode(bad), std::nullopt) << bad;
}

// The runtime's decoder, as the executor saves it: a round trip, and the
// message a checkpoint of another width gives.
TEST_F(CheckpointTest, DecoderModelRoundTripAndShapeMessage) {
  ModelSpec spec = rlg::runtime::testing::tinySpec();
  Model saved(spec, ModelRole::Policy, /*seed=*/1);
  CheckpointContent content;
  content.models["actor"] = saved.get();
  saveCheckpoint(dir_, 1, content);

  Model other(spec, ModelRole::Policy, /*seed=*/2);
  CheckpointContent into;
  into.models["actor"] = other.get();
  loadCheckpoint(dir_, into);
  for (const auto &[name, tensor] : namedTensorsOf(*saved))
    EXPECT_TRUE(torch::equal(tensor, other->named_parameters()[name])) << name;

  spec.hidden = 64;
  spec.ffn = 128;
  Model wider(spec, ModelRole::Policy, /*seed=*/1);
  CheckpointContent widerContent;
  widerContent.models["actor"] = wider.get();
  try {
    loadCheckpoint(dir_, widerContent);
    ADD_FAILURE() << "loaded a checkpoint of another width";
  } catch (const CheckpointError &error) {
    std::string message = error.what();
    EXPECT_NE(message.find("but the model has [64, 64]"), std::string::npos)
        << message;
    EXPECT_NE(message.find("checkpoint has actor.layers.0."), std::string::npos)
        << message;
  }
}

// loadModelWeights (a model's init): one model of a checkpoint that holds
// several is picked by name; without a name the choice is refused, naming
// the models there.
TEST_F(CheckpointTest, LoadModelWeightsPicksOneOfSeveral) {
  ModelSpec spec = rlg::runtime::testing::tinySpec();
  Model actor(spec, ModelRole::Policy, /*seed=*/1);
  Model ref(spec, ModelRole::Policy, /*seed=*/2);
  CheckpointContent content;
  content.models["actor"] = actor.get();
  content.models["ref"] = ref.get();
  saveCheckpoint(dir_, 1, content);

  Model into(spec, ModelRole::Policy, /*seed=*/3);
  EXPECT_EQ(loadModelWeights(dir_, "ref", *into), "ref");
  for (const auto &[name, tensor] : namedTensorsOf(*ref))
    EXPECT_TRUE(torch::equal(tensor, into->named_parameters()[name])) << name;
  try {
    loadModelWeights(dir_, "", *into);
    ADD_FAILURE() << "picked one of several models without a name";
  } catch (const CheckpointError &error) {
    EXPECT_EQ(error.problem(), "holds several models (it has 'actor', 'ref')");
    EXPECT_EQ(error.hint(),
              "name the model to start from: init = \"PATH:MODEL\"");
  }
}
