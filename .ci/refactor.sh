#!/usr/bin/env bash
# Proof that a rename in the program never replaces a database: on a copy of
# fargate-prod, the output of an "earlier program" (the same target with its RDS
# instance under another address) is applied to moto; then the real program is
# synthesized against it (terrane writes the `moved` block) and `terraform plan`
# against the applied state must move the database and show 0 to destroy for it
# (and destroy nothing beyond what moto's drift replaces in the unchanged program).
# Control: the same plan without
# the moved block must destroy the database (so the check can fail). Also reports
# what the real provider plans for a changed identifier (the stateful table's claim).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source .ci/tf/common.sh
TARGET=fargate-prod
DB=aws_db_instance.fgprod_api
OLD=aws_db_instance.fgprod_api_before_rename

require_tools moto_server terraform

work="$(mktemp -d)"
moto_pid=""
cleanup() {
  if [ -n "$moto_pid" ]; then kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; fi
  if [ -n "${KEEP_WORK:-}" ]; then echo "scratch kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
tf_setup "$work"

cargo build -q -p cli --bin terrane
terrane="$root/target/debug/terrane"
"$terrane" synth "$TARGET" --out "$work/out" --quiet

# The earlier program's output: the database under $OLD (key and every reference).
python3 - "$work/out/$TARGET/app/main.tf.json" "$DB" "$OLD" <<'PY'
import json, re, sys
path, new, old = sys.argv[1:]
doc = json.load(open(path))
ty, new_name = new.split(".")
old_name = old.split(".")[1]
doc["resource"][ty][old_name] = doc["resource"][ty].pop(new_name)
pattern = re.compile(re.escape(new) + r"(?=[.\[}\s,)])")
def walk(v):
    if isinstance(v, dict):
        return {k: walk(x) for k, x in v.items()}
    if isinstance(v, list):
        return [walk(x) for x in v]
    if isinstance(v, str):
        return pattern.sub(old, v)
    return v
json.dump(walk(doc), open(path, "w"), indent=2)
PY

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
MOTO_IAM_LOAD_MANAGED_POLICIES=true MOTO_ACM_VALIDATION_WAIT=1 \
  timeout 1800 moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
endpoint="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf -m 2 "$endpoint/moto-api/" >/dev/null 2>&1 && break; sleep 0.2; done
curl -sf -m 2 "$endpoint/moto-api/" >/dev/null || { echo "moto did not start"; cat "$work/moto.log"; exit 1; }

applied="$work/applied"
cp -r "$work/out/$TARGET" "$applied"
# Local state here, and the app's remote-state read of network from network's local
# state: what `terrane apply --backend local` does, written as an override file because
# this proof drives terraform itself (it plans candidate outputs in the applied folder).
local_backend() { # stack dir, name=state...
  python3 - "$@" <<'PY'
import json, os, sys
d, remotes = sys.argv[1], sys.argv[2:]
doc = {"terraform": {"backend": {"local": {"path": "terraform.tfstate"}}}}
reads = {}
for r in remotes:
    name, path = r.split("=", 1)
    reads[name] = {"backend": "local", "config": {"path": os.path.abspath(path)}}
if reads:
    doc["data"] = {"terraform_remote_state": reads}
json.dump(doc, open(os.path.join(d, "local_backend_override.tf.json"), "w"), indent=1)
PY
}
prepare() { # stack dir: overrides beside the scratch main.tf.json (remote state from network)
  local dir="$1" remotes=()
  [ "$(basename "$dir")" = network ] || remotes+=("network=$applied/network/terraform.tfstate")
  python3 .ci/tf/aws_override.py moto "$dir" "$endpoint" >/dev/null 2>&1
  local_backend "$dir" "${remotes[@]}"
  export_secret_vars "$dir"
}
for stack in network app; do
  echo "--- apply $TARGET/$stack (earlier program)"
  prepare "$applied/$stack"
  tf -chdir="$applied/$stack" init -input=false -no-color >"$work/$stack.init.log" 2>&1 || { cat "$work/$stack.init.log"; exit 1; }
  tf -chdir="$applied/$stack" apply -input=false -auto-approve -no-color >"$work/$stack.apply.log" 2>&1 \
    || { tail -60 "$work/$stack.apply.log"; exit 1; }
  grep -E "^Apply complete" "$work/$stack.apply.log"
done

echo "--- terrane synth $TARGET against the earlier output"
"$terrane" synth "$TARGET" --out "$work/out" --quiet 2>"$work/synth.err" || { cat "$work/synth.err"; exit 1; }
grep -F "renamed from $OLD" "$work/synth.err" || { echo "no rename reported"; cat "$work/synth.err"; exit 1; }

cp "$applied/app/main.tf.json" "$work/applied-app.tf.json"
# A candidate app stack in the applied folder: pruned for moto like the applied one,
# with the variables aws_override.py defaulted at apply (the moto hosted zone) kept.
plan() { # label main.tf.json [terraform plan args] -> prints the plan summary line
  local cand="$work/cand.$1" label="$1"
  shift 2
  mkdir -p "$cand"
  cp "$source_tf" "$cand/main.tf.json"
  python3 .ci/tf/aws_override.py moto "$cand" "$endpoint" >/dev/null 2>&1
  python3 - "$work/applied-app.tf.json" "$cand/main.tf.json" <<'PY'
import json, sys
applied = json.load(open(sys.argv[1]))
cand = json.load(open(sys.argv[2]))
for name, var in applied.get("variable", {}).items():
    if "default" in var and name in cand.get("variable", {}):
        cand["variable"][name]["default"] = var["default"]
json.dump(cand, open(sys.argv[2], "w"), indent=2)
PY
  cp "$cand/main.tf.json" "$cand/aws_override.tf.json" "$applied/app/"
  tf -chdir="$applied/app" plan -input=false -no-color "$@" >"$work/plan.$label.log" 2>&1 || { tail -40 "$work/plan.$label.log"; exit 1; }
  grep -E "^Plan:|^No changes" "$work/plan.$label.log" | tail -1
}
destroyed() { # label -> addresses the plan destroys or replaces
  grep -E "^  # .* (will be destroyed|must be replaced)" "$work/plan.$1.log" | sed -E 's/^  # ([^ ]+) .*/\1/' | sort
}
new_tf="$work/out/$TARGET/app/main.tf.json"
python3 - "$new_tf" "$work/no-moved.tf.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1])); doc.pop("moved", None)
json.dump(doc, open(sys.argv[2], "w"), indent=2)
PY

# moto answers some reads differently from what was applied (certificates, the ECS
# service), so even the unchanged program plans a few replacements: that drift is
# measured first and must be all the renamed program destroys.
source_tf="$work/applied-app.tf.json"; drift="$(plan drift x)"
echo "unchanged earlier program (moto drift): $drift"
source_tf="$work/no-moved.tf.json"; control="$(plan control x)"
echo "without the moved block: $control"
grep -q "$OLD will be destroyed" "$work/plan.control.log" || { echo "control: the database is not destroyed without the moved block"; exit 1; }

source_tf="$new_tf"; result="$(plan moved x)"
echo "with the moved block:    $result"
grep -qF "(moved from $OLD)" "$work/plan.moved.log" || { echo "terraform does not report the move"; exit 1; }
if [ "$(destroyed moved)" != "$(destroyed drift)" ]; then
  echo "FAILED: the renamed program destroys more than moto's drift:"; diff <(destroyed drift) <(destroyed moved); exit 1
fi
targeted="$(plan targeted x "-target=$DB" "-target=$OLD")"
echo "plan -target=$DB:       $targeted"
case "$targeted" in
  *" 0 to destroy."*|"No changes"*) ;;
  *) echo "FAILED: the database is destroyed"; exit 1 ;;
esac

# The stateful table's claims for aws_db_instance (crates/aws/src/stateful.rs),
# checked with the real provider: each argument listed as forcing must plan a
# replacement; `identifier` names the instance but is renamed in place.
check_arg() { # argument expected(replace|update)
  python3 - "$new_tf" "$work/arg.$1.tf.json" "$1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
arg = sys.argv[3]
for body in doc["resource"]["aws_db_instance"].values():
    v = body.get(arg)
    body[arg] = (not v) if isinstance(v, bool) else (str(v or "x") + "x2").replace("-", "")
json.dump(doc, open(sys.argv[2], "w"), indent=2)
PY
  source_tf="$work/arg.$1.tf.json"; plan "arg.$1" x "-target=$DB" "-target=$OLD" >/dev/null
  local got=update
  grep -q "$DB must be replaced" "$work/plan.arg.$1.log" && got=replace
  echo "aws_db_instance.$1 changed: terraform plans $got (table: $2)"
  [ "$got" = "$2" ]
}
status=0
check_arg identifier update || status=1
for arg in engine db_name username storage_encrypted; do check_arg "$arg" replace || status=1; done
[ $status -eq 0 ] || { echo "FAILED: the stateful table disagrees with the provider"; exit 1; }
echo "refactor proof: ok (rename of $DB: moved, 0 to destroy; nothing destroyed beyond moto's drift)"
