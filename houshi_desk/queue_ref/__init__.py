"""The built-in reference queue (叫号) server: the protocol of resources/openapi/queue.yaml, in a
process of its own (``python -m houshi_desk.queue_ref``, started by ``process.spawn``). For the demo,
the tests and a hall without a vendor queue system (``queue.kind = "reference"``)."""
