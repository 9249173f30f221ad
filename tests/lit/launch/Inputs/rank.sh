#!/bin/sh
# A rank for the launcher's tests. `print` prints its environment and exits;
# otherwise rank 1 does what the first argument says (`fail`: exit 3,
# `crash`: die of SIGKILL) and the other ranks sleep until they are stopped.
if [ "$1" = print ]; then
  echo "rank $RANK of $WORLD_SIZE, local $LOCAL_RANK, at $MASTER_ADDR:$MASTER_PORT"
  echo "rank $RANK on stderr" >&2
  printf 'rank %s without a newline' "$RANK"
  exit 0
fi
if [ "$RANK" = 1 ]; then
  case "$1" in
  fail)
    echo "rank 1 fails" >&2
    exit 3
    ;;
  crash) kill -9 $$ ;;
  esac
fi
exec sleep 600
