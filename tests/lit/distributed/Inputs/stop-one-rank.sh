#!/bin/sh
# Starts ranks 0 and 1 of a schedule by hand (as srun would), sends rank 1
# SIGNAL (KILL: it dies; STOP: it stalls) after DELAY seconds, waits for
# rank 0, and prints how rank 0 ended, how long it took, and its last line.
# usage: stop-one-rank.sh SCHEDULE OUT DELAY SIGNAL TIMEOUT_S
schedule=$1 out=$2 delay=$3 signal=$4 timeout=$5
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export MASTER_ADDR=127.0.0.1 MASTER_PORT=$port WORLD_SIZE=2
mkdir -p "$out"
start=$(date +%s)
RANK=1 LOCAL_RANK=1 rlg-runtime run --schedule "$schedule" --out "$out" \
  --quiet --timeout "$timeout" > "$out/rank1.log" 2>&1 &
rank1=$!
RANK=0 LOCAL_RANK=0 rlg-runtime run --schedule "$schedule" --out "$out" \
  --quiet --timeout "$timeout" > "$out/rank0.log" 2>&1 &
rank0=$!
sleep "$delay"
kill -"$signal" $rank1
wait $rank0
code=$?
end=$(date +%s)
kill -KILL $rank1 2>/dev/null
wait $rank1 2>/dev/null
echo "rank 0 exited with code $code after $((end - start)) s"
tail -n 2 "$out/rank0.log"
