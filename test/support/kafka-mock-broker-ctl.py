#!/usr/bin/python3
"""
A Kafka-protocol broker whose availability a test controls: librdkafka's mock cluster (one broker),
created through librdkafka's C API (ctypes; Debian's python3-confluent-kafka brings librdkafka), so
that the broker can be taken down and brought back on the same address — which the Producer-based
test/support/kafka-mock-broker.py cannot do.

    /usr/bin/python3 test/support/kafka-mock-broker-ctl.py

Prints the bootstrap address (host:port) on the first line of stdout, then reads commands on stdin:
`down` (the broker closes its connections and refuses new ones) and `up` (it serves again, with its
topics and offsets), answering each with `down 0` / `up 0` (librdkafka's error code). Exits when
stdin closes (the test that spawned it is gone).
"""

import ctypes
import sys

RD_KAFKA_PRODUCER = 0
BROKER_ID = 1


def main() -> int:
    try:
        lib = ctypes.CDLL("librdkafka.so.1")
    except OSError as err:
        sys.stderr.write(f"kafka-mock-broker-ctl: {err}; install Debian's python3-confluent-kafka\n")
        return 1
    lib.rd_kafka_conf_new.restype = ctypes.c_void_p
    lib.rd_kafka_conf_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.rd_kafka_new.restype = ctypes.c_void_p
    lib.rd_kafka_new.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.rd_kafka_mock_cluster_new.restype = ctypes.c_void_p
    lib.rd_kafka_mock_cluster_new.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.rd_kafka_mock_cluster_bootstraps.restype = ctypes.c_char_p
    lib.rd_kafka_mock_cluster_bootstraps.argtypes = [ctypes.c_void_p]
    for name in ("rd_kafka_mock_broker_set_down", "rd_kafka_mock_broker_set_up"):
        getattr(lib, name).argtypes = [ctypes.c_void_p, ctypes.c_int32]
        getattr(lib, name).restype = ctypes.c_int

    errstr = ctypes.create_string_buffer(512)
    conf = lib.rd_kafka_conf_new()
    # the handle only owns the mock cluster; it never connects anywhere itself
    lib.rd_kafka_conf_set(conf, b"log_level", b"0", errstr, 512)
    rk = lib.rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, 512)
    if not rk:
        sys.stderr.write(f"kafka-mock-broker-ctl: {errstr.value.decode()}\n")
        return 1
    cluster = lib.rd_kafka_mock_cluster_new(rk, 1)
    if not cluster:
        sys.stderr.write("kafka-mock-broker-ctl: the mock cluster did not start\n")
        return 1
    print(lib.rd_kafka_mock_cluster_bootstraps(cluster).decode(), flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "down":
            print(f"down {lib.rd_kafka_mock_broker_set_down(cluster, BROKER_ID)}", flush=True)
        elif command == "up":
            print(f"up {lib.rd_kafka_mock_broker_set_up(cluster, BROKER_ID)}", flush=True)
        elif command:
            print(f"unknown command {command}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
