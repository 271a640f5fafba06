#!/usr/bin/python3
"""
A Kafka-protocol broker for tests and local development, without Docker or a JVM: librdkafka's
built-in mock cluster, started through Debian's python3-confluent-kafka (run it with /usr/bin/python3).

    /usr/bin/python3 test/support/kafka-mock-broker.py [--out FILE] [--brokers N]

The first line on stdout is the bootstrap address (host:port[,host:port...]); `--out FILE` also writes
it to FILE (atomically, so a reader polling for the file never sees half a line; the file is removed
again on exit). The process then stays up until SIGTERM, SIGINT or SIGHUP. It never reads stdin, so it
keeps running in the background of a CI job. When stdout is a pipe and no `--out` is given (a test harness spawned it and reads its
stdout), it also exits once the reading end of that pipe is gone, so a crashed test run leaves no
orphan broker behind.

What the mock cluster (librdkafka 2.0.x, as checked with kafkajs 2.2) does and does not do:
- it answers Produce, Fetch, ListOffsets, Metadata (v0-2), the consumer-group APIs (FindCoordinator,
  JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch), InitProducerId and the
  transaction APIs; record headers are kept;
- topics are auto-created by the first Metadata request that allows it (kafkajs producers and
  consumers do), with 4 partitions: the count is fixed in librdkafka and no
  setting changes it (the C function that creates a topic with N partitions is not reachable from
  Python);
- no admin APIs: CreateTopics, DeleteTopics, DescribeConfigs, DescribeGroups, ListGroups are missing;
- Metadata names broker 0 as the controller while the brokers are numbered from 1, so kafkajs cannot
  find the controller: admin.createTopics() and the idempotent producer (InitProducerId goes to the
  controller) fail with "Broker 0 not found in the cached metadata". Use KAFKA_IDEMPOTENT=false;
- the first join of a consumer group waits about 3 s (like Kafka's group.initial.rebalance.delay.ms);
- everything lives in memory and is gone when the process stops.
"""

import argparse
import os
import select
import signal
import stat
import sys
import threading

try:
    from confluent_kafka import KafkaException, Producer
except ImportError as err:  # pragma: no cover - depends on the machine
    sys.stderr.write(
        f"kafka-mock-broker: {err}; install Debian's python3-confluent-kafka and run with /usr/bin/python3\n"
    )
    sys.exit(2)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run librdkafka's mock Kafka cluster until terminated.")
    parser.add_argument("--out", metavar="FILE", help="also write the bootstrap address to FILE")
    parser.add_argument("--brokers", type=int, default=1, help="number of mock brokers (default 1)")
    parser.add_argument(
        "--log-level",
        type=int,
        default=4,
        help="librdkafka syslog level for messages on stderr (default 4: warnings and worse)",
    )
    return parser.parse_args()


def write_atomically(path: str, text: str) -> None:
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def stdout_is_pipe() -> bool:
    """A pipe or a socket pair (what Node's child_process gives for stdio 'pipe')."""
    try:
        mode = os.fstat(sys.stdout.fileno()).st_mode
        return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)
    except (OSError, ValueError):
        return False


def reader_gone(fd: int) -> bool:
    """True when the reading end of the pipe or socket on fd has been closed."""
    poller = select.poll()
    poller.register(fd, select.POLLERR | select.POLLHUP)
    return any(ev & (select.POLLERR | select.POLLHUP) for _, ev in poller.poll(0))


def main() -> int:
    args = parse_args()
    if args.brokers < 1:
        sys.stderr.write("kafka-mock-broker: --brokers must be at least 1\n")
        return 2

    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    # A reader that went away must not kill us with SIGPIPE before we notice it ourselves.
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)

    def on_error(err: object) -> None:
        sys.stderr.write(f"kafka-mock-broker: {err}\n")

    # The producer owns the mock cluster: it must stay alive (and be polled) for as long as we serve.
    producer = Producer(
        {
            "test.mock.num.brokers": args.brokers,
            "log_level": args.log_level,
            "error_cb": on_error,
        }
    )
    try:
        metadata = producer.list_topics(timeout=10)
    except KafkaException as err:
        sys.stderr.write(f"kafka-mock-broker: the mock cluster did not answer: {err}\n")
        return 1
    brokers = sorted(metadata.brokers.values(), key=lambda b: b.id)
    if not brokers:
        sys.stderr.write("kafka-mock-broker: the mock cluster reported no brokers\n")
        return 1
    address = ",".join(f"{b.host}:{b.port}" for b in brokers)

    if args.out:
        write_atomically(args.out, address + "\n")
    sys.stdout.write(address + "\n")
    sys.stdout.flush()
    sys.stderr.write(f"kafka-mock-broker: serving on {address} (pid {os.getpid()})\n")

    watch_stdout = stdout_is_pipe() and not args.out
    stdout_fd = sys.stdout.fileno()
    try:
        while not stop.is_set():
            producer.poll(0.2)
            if watch_stdout and reader_gone(stdout_fd):
                sys.stderr.write("kafka-mock-broker: the process reading stdout is gone; stopping\n")
                break
    finally:
        if args.out:
            try:
                if open(args.out, encoding="utf-8").read().strip() == address:
                    os.remove(args.out)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
