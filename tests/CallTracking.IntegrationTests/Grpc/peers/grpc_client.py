#!/usr/bin/python3
"""One gRPC call with Debian's python3-grpcio, described entirely by arguments.

The .proto files under --proto-root are compiled to a descriptor set (with --protoc, or grpc_tools.protoc), so
any service can be called without generated code. Output, one line each, flushed as it happens:
  MSG <json>          a response message (proto field names, defaults included; bytes are base64)
  MSG_SIZE <bytes>    instead of MSG with --sizes-only
  STATUS <CODE> <details>   the end of the call (CODE as in grpc.StatusCode, e.g. OK, DEADLINE_EXCEEDED)
Exit status: 0 when the call ended with any status, 2 on a usage or set-up error (message on stderr).
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import threading

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", required=True, help="host:port of the server (h2c)")
    p.add_argument("--proto-root", required=True, help="folder whose .proto files (recursively) define the service")
    p.add_argument("--method", required=True, help="/package.Service/Method")
    p.add_argument("--request", default="{}", help="the request message as JSON (proto field names)")
    p.add_argument("--request-file", help="read the request JSON from this file (for messages past the 128 KiB argument limit)")
    p.add_argument("--timeout", type=float, help="deadline in seconds")
    p.add_argument("--compression", choices=["gzip"], help="compress the request")
    p.add_argument("--metadata", action="append", default=[], help="key=value request metadata (repeatable)")
    p.add_argument("--max-messages", type=int, help="cancel a stream after this many messages")
    p.add_argument("--cancel-after-ms", type=int, help="cancel the call after this many milliseconds")
    p.add_argument("--sizes-only", action="store_true", help="print MSG_SIZE lines instead of MSG json")
    p.add_argument("--ca-cert", help="speak TLS, trusting this PEM certificate (default: cleartext h2c)")
    p.add_argument("--server-name", help="with --ca-cert: the name the certificate must carry (ssl_target_name_override)")
    p.add_argument("--protoc", help="protoc binary (default: python -m grpc_tools.protoc)")
    p.add_argument("--proto-include", action="append", default=[], help="extra -I folder (e.g. google/protobuf's)")
    return p.parse_args()


def descriptor_set(args):
    root = os.path.abspath(args.proto_root)
    files = sorted(os.path.relpath(f, root) for f in glob.glob(os.path.join(root, "**", "*.proto"), recursive=True))
    if not files:
        fail(f"no .proto files under {root}")
    out = tempfile.NamedTemporaryFile(suffix=".pb", delete=False)
    out.close()
    includes = ["-I" + root] + ["-I" + i for i in args.proto_include]
    if args.protoc:
        command = [args.protoc]
    else:
        import grpc_tools
        command = [sys.executable, "-m", "grpc_tools.protoc"]
        includes.append("-I" + os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))
    command += includes + ["--include_imports", "--descriptor_set_out=" + out.name] + files
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        fail("protoc failed: " + " ".join(command) + "\n" + run.stderr)
    with open(out.name, "rb") as f:
        data = f.read()
    os.unlink(out.name)
    return descriptor_pb2.FileDescriptorSet.FromString(data)


def message_class(pool, descriptor):
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def fail(text):
    print(text, file=sys.stderr, flush=True)
    sys.exit(2)


def to_json(message):
    try:
        return json_format.MessageToJson(message, preserving_proto_field_name=True, including_default_value_fields=True, indent=None)
    except TypeError:
        return json_format.MessageToJson(message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True, indent=None)


def main():
    args = parse_args()
    pool = descriptor_pool.DescriptorPool()
    for file in descriptor_set(args).file:
        pool.Add(file)
    try:
        service_name, method_name = args.method.strip("/").split("/")
        method = pool.FindServiceByName(service_name).FindMethodByName(method_name)
    except (ValueError, KeyError) as e:
        fail(f"unknown method {args.method}: {e}")
    if method is None:
        fail(f"unknown method {args.method}")
    request_type = message_class(pool, method.input_type)
    response_type = message_class(pool, method.output_type)
    text = args.request
    if args.request_file:
        with open(args.request_file, encoding="utf-8") as f:
            text = f.read()
    request = json_format.Parse(text, request_type())

    metadata = []
    for item in args.metadata:
        key, _, value = item.partition("=")
        metadata.append((key.lower(), value))
    options = {"metadata": metadata or None, "timeout": args.timeout}
    if args.compression == "gzip":
        options["compression"] = grpc.Compression.Gzip

    channel_options = [("grpc.max_receive_message_length", 64 * 1024 * 1024), ("grpc.max_send_message_length", 64 * 1024 * 1024)]
    if args.ca_cert:
        with open(args.ca_cert, "rb") as f:
            credentials = grpc.ssl_channel_credentials(root_certificates=f.read())
        if args.server_name:
            channel_options.append(("grpc.ssl_target_name_override", args.server_name))
        channel = grpc.secure_channel(args.target, credentials, options=channel_options)
    else:
        channel = grpc.insecure_channel(args.target, options=channel_options)

    def show(message):
        if args.sizes_only:
            print(f"MSG_SIZE {message.ByteSize()}", flush=True)
        else:
            print("MSG " + to_json(message), flush=True)

    serialize = lambda m: m.SerializeToString()
    if method.server_streaming:
        call = channel.unary_stream(args.method, request_serializer=serialize, response_deserializer=response_type.FromString)(request, **options)
    else:
        call = channel.unary_unary(args.method, request_serializer=serialize, response_deserializer=response_type.FromString).future(request, **options)
    if args.cancel_after_ms is not None:
        timer = threading.Timer(args.cancel_after_ms / 1000.0, call.cancel)
        timer.daemon = True
        timer.start()

    try:
        if method.server_streaming:
            received = 0
            for message in call:
                show(message)
                received += 1
                if args.max_messages is not None and received >= args.max_messages:
                    call.cancel()
                    break
            code, details = call.code(), call.details()
        else:
            show(call.result())
            code, details = call.code(), call.details()
    except grpc.RpcError as e:
        code, details = e.code(), e.details()
    except grpc.FutureCancelledError:
        code, details = grpc.StatusCode.CANCELLED, "Locally cancelled"
    print(f"STATUS {code.name} {details or ''}".rstrip(), flush=True)
    channel.close()


if __name__ == "__main__":
    main()
