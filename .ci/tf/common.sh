# Shared by the .ci scripts (moto, refactor, terraform, checkov-aws): the terraform CLI config (providers from
# the local mirror only), the AWS targets, and helpers over a target's manifest.
AWS_TARGETS=(aws-state eks-prod eks-staging fargate-prod fargate-staging)
mirror="${TERRANE_TF_PLUGIN_MIRROR:-/opt/tf-plugins}"

tf_setup() { # $1: scratch dir
  mkdir -p "$1/plugin-cache"
  cat >"$1/terraform.rc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
plugin_cache_dir = "$1/plugin-cache"
RC
  export TF_CLI_CONFIG_FILE="$1/terraform.rc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
  export AWS_EC2_METADATA_DISABLED=true
}

# Providers a stack needs that the mirror lacks (empty when all are there).
missing_providers() { # $1: main.tf.json
  python3 - "$1" "$mirror" <<'PY'
import json, os, sys
doc = json.load(open(sys.argv[1]))
for p in doc.get("terraform", {}).get("required_providers", {}).values():
    if not os.path.isdir(os.path.join(sys.argv[2], "registry.terraform.io", p["source"])):
        print(p["source"])
PY
}

# Values for the variables a stack takes from the environment at apply time
# (supplied_at_apply secrets): placeholders, exported as TF_VAR_<name>.
export_secret_vars() { # $1: stack dir
  eval "$(python3 - "$1" <<'PY'
import json, os, sys
d = sys.argv[1]
doc = json.load(open(os.path.join(d, "main.tf.json")))
given = {}
tfvars = os.path.join(d, "terraform.tfvars.json")
if os.path.exists(tfvars):
    given = json.load(open(tfvars))
for name, v in doc.get("variable", {}).items():
    if "default" not in v and name not in given:
        print(f"export TF_VAR_{name}=ci-placeholder-0123456789abcdef")
PY
)"
}

tf() { timeout "${TF_TIMEOUT:-600}" terraform "$@"; }

# Exits the calling script when a tool is missing: `SKIPPED: <tool> not found` and
# status 0 on a user's machine, status 1 under CI=true (CI must run every validator).
require_tools() { # $@: commands
  local tool
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null; then
      if [ "${CI:-}" = "true" ]; then echo "$tool not found (CI=true)" >&2; exit 1; fi
      echo "SKIPPED: $tool not found"; exit 0
    fi
  done
}
