#!/usr/bin/env bash
# Trains the JVM's ahead-of-time cache (JEP 483/514) that deploy/emulator/slice-emulator uses, for one emulator jar:
# a Linux boot to the shell (the classes of the boot path: devices, SBI, MMU), then a hot shell loop in the guest
# (the interpreter's dispatch and the block translator with its java.lang.classfile classes), then power-off.
# The launcher runs with the cache's classes but without replaying its method profiles (-XX:-AOTReplayTraining):
# profiles from a boot made C2 compile the hot loop of a CPU-bound guest worse (see drivers/emulator/README.md).
# Usage: deploy/emulator/train-aot.sh JAR SLICE_DATA/emulator   (the directory build.sh fills: kernel/Image and
# initramfs.cpio are read from it, the cache is written to its aot/, where the launcher looks for it)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=$1 OUT=$2
die() { echo "train-aot: $*" >&2; exit 1; }
[ "$(basename "$OUT")" = emulator ] || die "the second argument must be \$SLICE_DATA/emulator, not $OUT"
rm -f "$OUT/aot/emulator.aot" "$OUT/aot/emulator.aot.jar"
coproc TRAIN { SLICE_DATA=$(dirname "$OUT") SLICE_EMULATOR_JAR="$JAR" SLICE_EMULATOR_AOT=train "$HERE/slice-emulator" \
  --memory 128M --kernel "$OUT/kernel/Image" --initrd "$OUT/initramfs.cpio" --append console=ttyS0 2>&1; }
TPID=$TRAIN_PID; seen=""
# wait for the shell (input typed earlier is lost while the kernel sets up the tty), then use it and power off
while IFS= read -r -n1 -t 120 c <&"${TRAIN[0]}"; do seen+=$c; (( ${#seen} > 32 )) && seen=${seen:(-16)}; [[ $seen == *"slice# " ]] && break; done
[[ $seen == *"slice# " ]] || { kill "$TPID" 2>/dev/null || true; die "the AOT training boot gave no shell prompt"; }
echo 'uname -a; ls /bin >/dev/null; i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo loop $i; poweroff -f' >&"${TRAIN[1]}"
cat <&"${TRAIN[0]}" >/dev/null || true
wait "$TPID" || die "the AOT training run failed"
[ -f "$OUT/aot/emulator.aot" ] || die "the AOT training run wrote no cache"
