#!/usr/bin/env python3
"""Renders a Home Assistant MQTT value template against one message, the way HA's MQTT platforms
do (homeassistant/helpers/template.py, render_with_possible_json_value): Jinja2's immutable
sandbox, `value` = the payload text, `value_json` = the payload parsed when it is JSON, and HA's
`to_json` filter (compact, as orjson writes it). Prints the rendered text, unparsed.

usage: ha_template.py TEMPLATE_FILE PAYLOAD_FILE
"""
import json
import sys

from jinja2.sandbox import ImmutableSandboxedEnvironment


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        template = f.read()
    with open(sys.argv[2], encoding="utf-8") as f:
        payload = f.read()
    env = ImmutableSandboxedEnvironment()
    env.filters["to_json"] = lambda value: json.dumps(value, separators=(",", ":"),
                                                      ensure_ascii=False)
    variables = {"value": payload}
    try:
        variables["value_json"] = json.loads(payload)
    except ValueError:
        pass
    sys.stdout.write(env.from_string(template).render(variables))
    return 0


if __name__ == "__main__":
    sys.exit(main())
