#!/usr/bin/env bash
# The crash test at volume: N messages (10,000) sent to a real Gannet daemon with Postfix's
# smtp-source while the daemon is killed with SIGKILL every few seconds and restarted; then the
# destination (Postfix's smtp-sink) comes up, the deferred queue is flushed, the daemon is killed
# again during delivery, and every message that was answered 250 must arrive. Prints
# sent/answered-250/arrived/lost/duplicates; exits 1 on loss (or if it could not run), 0 otherwise.
# Duplicates are allowed (at-least-once delivery, as Postfix) and reported.
#
#   perf/crash-test.sh                      # N=10000, 8 clients, 8 + 2 kills
#   N=2000 CLIENTS=4 perf/crash-test.sh     # smaller
#   N=1000 SIZE=300000 perf/crash-test.sh   # messages in several journal frames
#   KEEP=1 perf/crash-test.sh               # keep the work directory (logs, dumps) on success
#
# Environment: N (10000), CLIENTS (8), SIZE (message bytes, 1024; above 262144 the journal
# writes a message in several frames, which a kill can tear), SEND_KILLS (max kills while sending, 8), DELIVERY_KILLS
# (kills during delivery, 2), WORK (the work directory; default a new one under /tmp), MVN (mvn).
#
# How messages are counted. Each client is a loop running `smtp-source -v -d -s 1 -m LEFT -N -t
# cIrR@dest.crash.test`: one session, several messages per connection, and -N makes every
# recipient unique (SEQcIrR@..., R = the loop's round, so a new smtp-source after a kill never
# reuses a recipient). The recipient is the message's id. -v logs the dialogue, which is read
# back: a message counts as answered 250 when the reply to its end of data ("." line) is 250;
# a session cut by the kill is fatal to smtp-source, and the loop starts a new one for what is
# left. The destination is `smtp-sink -d DIR/`, which writes one file per transaction (the name is
# a random hexadecimal number, created exclusively, so no dump overwrites another) only when
# the transaction completes (an aborted DATA leaves no file), with the envelope recipient in an
# X-Rcpt-Args: line. Arrivals are counted per recipient from those lines.
#
# When the kills come: while sending, 0-3 s after the clients got a 250 again from the restarted
# daemon; during delivery, at 1/3 and 2/3 of the arrivals.
#
# Uses only 127.0.0.1. Stops what it starts, by pid. Installs postfix with apt-get if smtp-source
# or smtp-sink is missing (as root), preseeded with "No configuration" so no system MTA starts.
# Ends within 10 minutes (a deadline per phase; the whole run is bounded by TOTAL_SECONDS, 570).
set -uo pipefail

N=${N:-10000}
CLIENTS=${CLIENTS:-8}
SIZE=${SIZE:-1024}
SEND_KILLS=${SEND_KILLS:-8}
DELIVERY_KILLS=${DELIVERY_KILLS:-2}
TOTAL_SECONDS=${TOTAL_SECONDS:-570}
KEEP=${KEEP:-}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/tools/target/gannet.jar"
opts="$root/tools/target/jvm.options"
export PATH="$PATH:/usr/sbin:/sbin"
began=$(date +%s)
end_by=$((began + TOTAL_SECONDS))

say() { printf '%s crash-test: %s\n' "$(date +%T)" "$*"; }
die() { say "error: $*"; exit 1; }
left_seconds() { echo $((end_by - $(date +%s))); }

# ---- prerequisites -----------------------------------------------------------------------

if ! command -v smtp-source >/dev/null || ! command -v smtp-sink >/dev/null; then
  [ "$(id -u)" = 0 ] || die "smtp-source/smtp-sink (package postfix) missing; install it as root"
  say "installing postfix (for smtp-source and smtp-sink), with no configuration"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >/dev/null \
    || { apt-get update -q >/dev/null \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >/dev/null; } \
    || die "apt-get install postfix failed"
fi
if [ ! -f "$jar" ] || [ ! -f "$opts" ]; then
  say "building tools/target/gannet.jar"
  (cd "$root" && ${MVN:-mvn} -q -B -ntp -DskipTests -pl tools -am package) || die "build failed"
fi
read -r -a flags < "$opts"

made_work=
if [ -z "${WORK:-}" ]; then
  WORK=$(mktemp -d /tmp/gannet-crash.XXXXXX) || die "mktemp failed"
  made_work=1
fi
mkdir -p "$WORK"/{conf,clients} || die "cannot create $WORK"
chmod 755 "$WORK" # smtp-sink writes the dumps as nobody when run as root
mkdir -m 1777 "$WORK/dump" || die "cannot create $WORK/dump (WORK must be new)"
queue="$WORK/var"
conf="$WORK/conf"
say "work directory $WORK"

free_port() {
  # a port nothing listens on now; the kernel gives ephemeral ports at random
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }
  done
}
smtpd_port=$(free_port)
sink_port=$(free_port)
[ "$smtpd_port" != "$sink_port" ] || sink_port=$(free_port)

cat >"$conf/main.cf" <<EOF
queue_directory = $queue
myhostname = crash.test
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$sink_port
smtp_connect_timeout = 2s
# a new journal cycle file every five minutes: a run may cross a cycle boundary under the kills
journal_roll_cycle = five_minutely
EOF
cat >"$conf/master.cf" <<EOF
127.0.0.1:$smtpd_port inet n - n - - smtpd
smtp unix - - n - - smtp
relay unix - - n - - smtp
EOF

# The admin request (flush) through the project's own client, io.gannet.master.AdminClient.
cat >"$WORK/AdminRequest.java" <<'EOF'
import io.gannet.master.AdminClient;
import io.gannet.master.AdminResponse;
import java.nio.file.Path;
import java.util.Arrays;

/** java -cp gannet.jar AdminRequest.java QUEUE_DIRECTORY COMMAND [ARG...] */
public class AdminRequest {
  public static void main(String[] a) throws Exception {
    AdminResponse r =
        new AdminClient(Path.of(a[0])).request(a[1], Arrays.copyOfRange(a, 2, a.length));
    r.lines().forEach(System.out::println);
    if (!r.ok()) {
      System.err.println(r.error());
      System.exit(1);
    }
  }
}
EOF

# ---- processes we start (stopped by pid on exit) -----------------------------------------

daemon_pid=
sink_pid=
client_pids=()

# alive PID: the process exists and is not a zombie (a killed daemon may wait to be reaped)
alive() {
  local s
  s=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$s" ] && [ "$s" != Z ] && [ "$s" != X ]
}

cleanup() {
  local p
  for p in "${client_pids[@]}"; do
    # the client loop's running `timeout smtp-source` (timeout passes the signal on), then the loop
    kill $(ps -o pid= --ppid "$p" 2>/dev/null) "$p" 2>/dev/null
  done
  if [ -n "$daemon_pid" ] && alive "$daemon_pid"; then kill -9 "$daemon_pid" 2>/dev/null; fi
  if [ -n "$sink_pid" ]; then kill "$sink_pid" 2>/dev/null; fi
  wait 2>/dev/null
}
trap cleanup EXIT
trap 'say "interrupted"; exit 1' INT TERM

start_daemon() {
  local t0=$(date +%s%N)
  java "${flags[@]}" -jar "$jar" -c "$conf" start >>"$WORK/start.log" 2>&1 \
    || { tail -n 30 "$WORK/start.log"; die "gannet start failed (log: $queue/log/gannet.log)"; }
  daemon_pid=$(cat "$queue/pid/master.pid") || die "no $queue/pid/master.pid"
  say "daemon started, pid $daemon_pid ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
}

kill_daemon() {
  local pid
  pid=$(cat "$queue/pid/master.pid") || die "no pid file"
  [ "$pid" = "$daemon_pid" ] || die "pid file names $pid, we started $daemon_pid"
  kill -9 "$pid" || die "kill -9 $pid failed"
  while alive "$pid"; do sleep 0.02; done
  kills=$((kills + 1))
  say "kill -9 $pid (kill $kills; $1)"
}

flush() {
  java -cp "$jar" "$WORK/AdminRequest.java" "$queue" flush >>"$WORK/flush.log" 2>&1 \
    || { tail -n 5 "$WORK/flush.log"; die "flush failed"; }
}

# ---- clients -----------------------------------------------------------------------------

# acked LOG: "recipient queue-id" for each message in an smtp-source -v log answered 250
acked() {
  awk '/^smtp-source: RCPT TO:</ { r = $0; sub(/.*RCPT TO:</, "", r); sub(/>.*/, "", r) }
       /^smtp-source: \.$/ { dot = 1; next }
       dot && /^smtp-source: <<< / { if ($3 ~ /^250/) print r, $NF; dot = 0 }' "$1"
}

# client I QUOTA: sends QUOTA messages, a new smtp-source (new recipients) after each failure
client() {
  local i=$1 left=$2 round=0 log got
  while [ "$left" -gt 0 ] && [ "$(left_seconds)" -gt 60 ]; do
    log="$WORK/clients/c$i-r$round.log"
    timeout 60 smtp-source -v -d -s 1 -m "$left" -N -l "$SIZE" -M client.crash.test \
      -f "sender@client.crash.test" -t "c${i}r${round}@dest.crash.test" \
      "127.0.0.1:$smtpd_port" >/dev/null 2>"$log"
    got=$(acked "$log" | tee -a "$WORK/clients/acked-c$i" | wc -l)
    left=$((left - got))
    round=$((round + 1))
    [ "$got" -gt 0 ] || sleep 0.2 # the daemon is down: poll for its restart
  done
}

answered() { cat "$WORK"/clients/acked-c* 2>/dev/null | wc -l; }
# live: 250 replies to end of data so far, in the logs of running smtp-source processes too
answered_live() {
  cat "$WORK"/clients/c*-r*.log 2>/dev/null | grep -c '^smtp-source: <<< 250 .*queued as'
}
attempts() { cat "$WORK"/clients/c*-r*.log 2>/dev/null | grep -c '^smtp-source: RCPT TO:<'; }
arrived_files() { find "$WORK/dump" -type f | wc -l; }

# ---- phase 1: send with the destination down, killing every few seconds ------------------

kills=0
start_daemon
say "sending $N messages from $CLIENTS clients to 127.0.0.1:$smtpd_port; destination" \
  "127.0.0.1:$sink_port is down"
for i in $(seq 1 "$CLIENTS"); do
  quota=$((N / CLIENTS + (i <= N % CLIENTS ? 1 : 0)))
  client "$i" "$quota" &
  client_pids+=($!)
done
clients_running() {
  local p
  for p in "${client_pids[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done
  return 1
}
send_kills=0
while clients_running && [ "$send_kills" -lt "$SEND_KILLS" ]; do
  # the clients are back (new 250s since the restart), then a random moment 0-3 s later
  before=$(answered_live)
  while clients_running && [ "$(answered_live)" -le "$before" ]; do sleep 0.05; done
  sleep "$((RANDOM % 3)).$((RANDOM % 10))"
  clients_running || break
  kill_daemon "while sending, $(answered_live) answered 250 so far"
  send_kills=$((send_kills + 1))
  start_daemon
done
wait "${client_pids[@]}"
client_pids=()
total_acked=$(answered)
say "clients done: $total_acked of $N answered 250 after $(attempts) attempts"

# ---- phase 2: destination up, flush, kill during delivery --------------------------------

sink_user=()
[ "$(id -u)" = 0 ] && sink_user=(-u nobody) # smtp-sink refuses to run as root
smtp-sink "${sink_user[@]}" -d "$WORK/dump/" "127.0.0.1:$sink_port" 256 \
  >"$WORK/smtp-sink.log" 2>&1 &
sink_pid=$!
sleep 0.3
alive "$sink_pid" || { cat "$WORK/smtp-sink.log"; die "smtp-sink did not start"; }
say "smtp-sink up on 127.0.0.1:$sink_port (pid $sink_pid); flush"
flush
for k in $(seq 1 "$DELIVERY_KILLS"); do
  target=$((total_acked * k / (DELIVERY_KILLS + 1)))
  while [ "$(arrived_files)" -lt "$target" ] && [ "$(left_seconds)" -gt 30 ]; do
    alive "$sink_pid" || { cat "$WORK/smtp-sink.log"; die "smtp-sink died"; }
    sleep 0.05
  done
  kill_daemon "during delivery, $(arrived_files) arrived so far"
  start_daemon
  flush
done

# ---- wait for every message answered 250 -------------------------------------------------

sort -u "$WORK"/clients/acked-c* | awk '{print $1}' | sort -u >"$WORK/answered.txt"
count_arrivals() {
  find "$WORK/dump" -type f -print0 \
    | xargs -0 -r grep -h '^X-Rcpt-Args:' \
    | sed 's/^X-Rcpt-Args: *<\([^>]*\)>.*/\1/' | sort | uniq -c | awk '{print $2, $1}' \
    >"$WORK/arrived.txt"
  awk '{print $1}' "$WORK/arrived.txt" >"$WORK/arrived-ids.txt"
  comm -23 "$WORK/answered.txt" "$WORK/arrived-ids.txt" >"$WORK/lost.txt"
}
while :; do
  alive "$sink_pid" || { cat "$WORK/smtp-sink.log"; die "smtp-sink died"; }
  if [ "$(arrived_files)" -ge "$total_acked" ]; then
    count_arrivals
    [ -s "$WORK/lost.txt" ] || break
  fi
  if [ "$(left_seconds)" -le 0 ]; then
    count_arrivals
    say "deadline reached while waiting for arrivals"
    break
  fi
  sleep 1
done

# the queue drains: every message Done in the journal (gannet cat reads it beside the daemon)
live_messages() {
  java "${flags[@]}" -jar "$jar" -c "$conf" cat --stats 2>/dev/null \
    | sed -n 's/^live messages: \([0-9]*\).*/\1/p'
}
live=$(live_messages)
for _ in $(seq 1 15); do
  [ "$live" != 0 ] && [ "$(left_seconds)" -gt 10 ] || break
  sleep 2
  live=$(live_messages)
done

arrived_distinct=$(wc -l <"$WORK/arrived.txt")
arrived_total=$(awk '{s += $2} END {print s + 0}' "$WORK/arrived.txt")
duplicates=$((arrived_total - arrived_distinct))
lost=$(wc -l <"$WORK/lost.txt")
unacked=$(comm -13 "$WORK/answered.txt" "$WORK/arrived-ids.txt" | wc -l)
attempts_total=$(attempts)

echo
echo "crash test: N=$N clients=$CLIENTS kills=$kills ($send_kills while sending," \
  "$DELIVERY_KILLS during delivery) in $(( $(date +%s) - began ))s"
echo "  sent (transactions started):  $attempts_total"
echo "  answered 250:                 $total_acked"
echo "  arrived (distinct):           $arrived_distinct"
echo "  arrived (total):              $arrived_total"
echo "  lost (250 but not arrived):   $lost"
echo "  duplicates:                   $duplicates"
echo "  arrived without a 250:        $unacked"
echo "  live messages left in queue:  ${live:-unknown}"
echo "  daemon recovery warnings:     $(grep -cE 'warning: .*(torn|incomplete|skipped|corrupt|Forced unlocking)' \
  "$queue/log/gannet.log")"
if [ "$lost" -gt 0 ]; then
  echo "LOST (recipient; queue id from the 250 reply):"
  head -n 50 "$WORK/lost.txt" | while read -r r; do
    grep -h "^$r " "$WORK"/clients/acked-c* | head -n 1
  done
  echo "work directory kept: $WORK (daemon log: $queue/log/gannet.log)"
  exit 1
fi
java "${flags[@]}" -jar "$jar" -c "$conf" stop >/dev/null 2>&1
if [ -z "$KEEP" ] && [ -n "$made_work" ]; then
  rm -rf "$WORK"
else
  echo "work directory kept: $WORK"
fi
exit 0
