// The world of a distributed run: rendezvous through c10d's TCPStore, and
// the Gloo (CPU) or NCCL (CUDA) process groups built from a schedule.
#include "rlg/Runtime/Distributed/ProcessGroups.h"
#include "CollectiveHandle.h"
#include "rlg/Runtime/Executor/RunContext.h"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace rlg::runtime {

struct StoreState {
  c10::intrusive_ptr<c10d::Store> store;
#ifdef RLG_TORCH_HAS_GLOO
  std::shared_ptr<::gloo::transport::Device> glooDevice;
#endif
};

namespace {

/// "0-3" or "0,2,5": a group's name in messages and store keys.
std::string groupKey(const std::vector<int64_t> &ranks) {
  bool consecutive = true;
  for (size_t i = 1; i < ranks.size(); ++i)
    consecutive &= ranks[i] == ranks[i - 1] + 1;
  if (consecutive && ranks.size() > 1)
    return std::to_string(ranks.front()) + "-" + std::to_string(ranks.back());
  std::string key;
  for (int64_t r : ranks)
    key += (key.empty() ? "" : ",") + std::to_string(r);
  return key;
}

#ifdef RLG_TORCH_HAS_GLOO
/// The network device Gloo binds to: GLOO_SOCKET_IFNAME when set, the
/// loopback address for a single-machine run, else this host's address.
std::shared_ptr<::gloo::transport::Device>
glooDevice(const DistributedEnv &env) {
  if (const char *ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
    return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
  if (env.masterAddr == "127.0.0.1" || env.masterAddr == "localhost")
    return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}
#endif

} // namespace

std::unique_ptr<ProcessGroups>
ProcessGroups::connect(const DistributedEnv &env, const torch::Device &device,
                       std::chrono::milliseconds timeout) {
  std::unique_ptr<ProcessGroups> out(new ProcessGroups());
  out->env = env;
  out->device = device;
  out->timeout = timeout;
  std::vector<int64_t> all(env.worldSize);
  for (int64_t r = 0; r < env.worldSize; ++r)
    all[r] = r;
  if (!env.distributed()) {
    out->worldGroup = std::make_shared<Communicator>("world", all, 0, nullptr);
    return out;
  }
#ifndef RLG_TORCH_HAS_NCCL
  if (device.is_cuda())
    throw RunError("this LibTorch has no NCCL, so CUDA ranks cannot talk "
                   "to each other",
                   "build rlg-runtime against PyTorch's CUDA LibTorch, or "
                   "run the ranks on the CPU with --device cpu (Gloo)");
#endif
#ifndef RLG_TORCH_HAS_GLOO
  if (!device.is_cuda())
    throw RunError("this build of rlg-runtime has no Gloo, so CPU ranks "
                   "cannot talk to each other",
                   "install Gloo's headers (Debian: libgloo-dev) and build "
                   "again, or run the ranks on CUDA devices (NCCL)");
#endif
  out->store = std::make_shared<StoreState>();
  try {
    c10d::TCPStoreOptions options;
    options.port = static_cast<uint16_t>(env.masterPort);
    options.isServer = env.rank == 0;
    options.numWorkers = static_cast<size_t>(env.worldSize);
    options.waitWorkers = true;
    options.timeout = timeout;
    out->store->store =
        c10::make_intrusive<c10d::TCPStore>(env.masterAddr, options);
#ifdef RLG_TORCH_HAS_GLOO
    if (!device.is_cuda())
      out->store->glooDevice = glooDevice(env);
#endif
  } catch (const std::exception &e) {
    std::string message = e.what();
    throw DistributedError(
        "rank " + std::to_string(env.rank) + ": rendezvous at " +
        env.masterAddr + ":" + std::to_string(env.masterPort) +
        " failed: " + message.substr(0, message.find('\n')) +
        " (every rank must start within the timeout; rank 0 serves the "
        "store, and the port must be free)");
  }
  out->worldGroup = out->makeGroup(all);
  return out;
}

ProcessGroups::~ProcessGroups() = default;

std::shared_ptr<Communicator>
ProcessGroups::makeGroup(const std::vector<int64_t> &ranks) {
  std::string key = groupKey(ranks);
  int64_t index =
      std::find(ranks.begin(), ranks.end(), env.rank) - ranks.begin();
  auto handle = std::make_shared<CollectiveHandle>();
  handle->timeout = timeout;
  handle->device = device.is_cuda() ? device : torch::Device(torch::kCPU);
  auto prefixed =
      c10::make_intrusive<c10d::PrefixStore>("group/" + key, store->store);
  try {
#ifdef RLG_TORCH_HAS_NCCL
    if (device.is_cuda()) {
      auto options = c10d::ProcessGroupNCCL::Options::create();
      options->timeout = timeout;
      handle->backend = c10::make_intrusive<c10d::ProcessGroupNCCL>(
          prefixed, static_cast<int>(index), static_cast<int>(ranks.size()),
          options);
    }
#endif
#ifdef RLG_TORCH_HAS_GLOO
    if (!handle->backend) {
      auto options = c10d::ProcessGroupGloo::Options::create(timeout);
      options->devices.push_back(store->glooDevice);
      options->threads = 2;
      handle->backend = c10::make_intrusive<c10d::ProcessGroupGloo>(
          prefixed, static_cast<int>(index), static_cast<int>(ranks.size()),
          options);
    }
#endif
  } catch (const std::exception &e) {
    std::string message = e.what();
    throw DistributedError("rank " + std::to_string(env.rank) +
                           ": creating process group " + key +
                           " failed: " + message.substr(0, message.find('\n')) +
                           " (a peer rank exited or did not start)");
  }
  return std::make_shared<Communicator>(key, ranks, env.rank, handle);
}

void ProcessGroups::createGroups(std::vector<std::vector<int64_t>> rankSets) {
  std::set<std::vector<int64_t>> unique;
  for (std::vector<int64_t> &ranks : rankSets) {
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
    unique.insert(ranks);
  }
  // One global order (std::set's) on every rank: no rank waits in a group
  // whose other members wait in another.
  for (const std::vector<int64_t> &ranks : unique) {
    if (groups.count(ranks) ||
        std::find(ranks.begin(), ranks.end(), env.rank) == ranks.end())
      continue;
    if (ranks.size() == 1)
      groups[ranks] = std::make_shared<Communicator>(groupKey(ranks), ranks,
                                                     env.rank, nullptr);
    else if (static_cast<int64_t>(ranks.size()) == env.worldSize)
      groups[ranks] = worldGroup;
    else
      groups[ranks] = makeGroup(ranks);
  }
}

Communicator &ProcessGroups::group(std::vector<int64_t> ranks) {
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  if (static_cast<int64_t>(ranks.size()) == env.worldSize)
    return *worldGroup;
  auto it = groups.find(ranks);
  if (it == groups.end()) {
    if (ranks.size() == 1 && ranks[0] == env.rank) {
      groups[ranks] = std::make_shared<Communicator>(groupKey(ranks), ranks,
                                                     env.rank, nullptr);
      return *groups[ranks];
    }
    throw std::logic_error("process group " + groupKey(ranks) +
                           " was not created on rank " +
                           std::to_string(env.rank));
  }
  return *it->second;
}

} // namespace rlg::runtime
