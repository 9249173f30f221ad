// All training losses of the runtime: include this to get every one.
//
// Tensor conventions: see Masked.h.
//  - Aggregation.h: token-mean, seq-mean-token-sum, seq-mean-token-mean;
//  - PolicyLoss.h: PPO-clip with clip-higher and dual clip;
//  - ValueLoss.h: the (clipped) value loss;
//  - Entropy.h: per-token entropy and log-probs from logits;
//  - PreferenceLosses.h: DPO, IPO, KTO;
//  - SupervisedLosses.h: SFT and the Bradley-Terry reward-model loss.
#pragma once

#include "rlg/Runtime/Algorithms/Aggregation.h"
#include "rlg/Runtime/Algorithms/Entropy.h"
#include "rlg/Runtime/Algorithms/PolicyLoss.h"
#include "rlg/Runtime/Algorithms/PreferenceLosses.h"
#include "rlg/Runtime/Algorithms/SupervisedLosses.h"
#include "rlg/Runtime/Algorithms/ValueLoss.h"
