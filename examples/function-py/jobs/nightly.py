"""Run once a day by EventBridge Scheduler; the event is the schedule's `input`."""

import json
from datetime import datetime, timezone


def handler(event, context):
    print(json.dumps({"task": event.get("task"), "at": datetime.now(timezone.utc).isoformat()}))
    return {"done": event.get("task")}
