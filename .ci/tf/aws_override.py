"""Terraform override files that let CI plan and apply the synthesized AWS stacks
without AWS: the synthesized main.tf.json is never changed, only a scratch copy gets
an `aws_override.tf.json` beside it (terraform merges override files last).

  aws_override.py plan  STACK_DIR [NAME=STATE ...]
      Offline plan: fake credentials, every aws endpoint pointed at a closed local
      port (so nothing can reach AWS), the backend replaced by local state, and each
      terraform_remote_state NAME read from the local state file STATE.
  aws_override.py moto  STACK_DIR ENDPOINT [NAME=STATE ...]
      Apply/destroy against moto at ENDPOINT: as above with moto endpoints;
      prevent_destroy and deletion protection turned off so destroy can run; the
      resource types moto cannot serve (PLAN_ONLY below) pruned from the scratch copy
      together with everything that refers to them.
  aws_override.py fake-state PRODUCER_MAIN_TF_JSON OUT
      The documented test backend: a state file holding only the producer's outputs,
      with placeholder values shaped like the real ones (ARNs, ids, CIDRs, URLs), for
      a consumer whose producer is not applied.
"""
import json
import os
import re
import sys

SERVICES = [
    "acm", "appautoscaling", "autoscaling", "backup", "budgets", "cloudwatch", "ec2", "ecr",
    "ecs", "eks", "elasticache", "elb", "elbv2", "events", "iam", "kms", "lambda", "logs", "rds", "route53",
    "s3", "secretsmanager", "sns", "sqs", "ssm", "sts", "wafv2", "cloudfront", "codebuild",
]

# Resource types applied for real everywhere else but only planned against moto, and why.
# This is the one list of what moto cannot do for these stacks (moto[server] 5.2.5).
PLAN_ONLY = {
    "aws_eks_addon": "moto's EKS has no add-on API (CreateAddon is not implemented)",
    "aws_eks_access_entry": "moto's EKS has no access entry API (CreateAccessEntry answers 404)",
    "aws_eks_access_policy_association": "moto's EKS has no access entry API (AssociateAccessPolicy answers 404)",
    "aws_secretsmanager_secret_rotation": "moto runs the rotation Lambda at once, which needs a real function (and Docker)",
    "aws_appautoscaling_target": "moto's Application Auto Scaling has no ListTagsForResource; the provider retries the error until it times out",
    "aws_elasticache_replication_group": "moto creates the group but not its member cache clusters, which the provider reads back (CacheClusterNotFound)",
    "aws_elasticache_subnet_group": "moto has no DeleteCacheSubnetGroup, so destroy fails (and the group only serves the replication group)",
    "aws_budgets_budget": "moto's Budgets has no DescribeSubscribersForNotification, which the provider reads after create",
    "aws_backup_selection": "moto's AWS Backup has no selections (CreateBackupSelection is not implemented)",
}


def provider_overrides(doc, endpoint, moto):
    providers = doc.get("provider", {}).get("aws", [{}])
    if isinstance(providers, dict):
        providers = [providers]
    out = []
    for p in providers:
        o = {
            "access_key": "test",
            "secret_key": "test",
            "skip_credentials_validation": True,
            "skip_requesting_account_id": True,
            "skip_metadata_api_check": True,
            "skip_region_validation": True,
            "s3_use_path_style": True,
            "max_retries": 2,
            "endpoints": [{s: endpoint for s in SERVICES}],
        }
        if moto:
            # moto answers sts:GetCallerIdentity; resources such as budgets need the account id
            del o["skip_requesting_account_id"]
        if "alias" in p:
            o["alias"] = p["alias"]
        out.append(o)
    return out


def remote_overrides(doc, remotes):
    out = {}
    for name in doc.get("data", {}).get("terraform_remote_state", {}):
        if name not in remotes:
            sys.exit(f"no state given for terraform_remote_state.{name}")
        out[name] = {"backend": "local", "config": {"path": os.path.abspath(remotes[name])}}
    return out


# References moto cannot satisfy: a block using one is plan-only on moto, like PLAN_ONLY.
PLAN_ONLY_REFS = {
    "cluster_security_group_id": "moto's EKS creates no cluster security group (the attribute is empty), "
    "so the rules letting the cluster's nodes into the database and cache cannot be created",
}

REF = re.compile(r"\b(aws_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)")


def prune(doc):
    """Removes PLAN_ONLY resources and, transitively, every block and output using them."""
    removed = set()
    for rtype, blocks in doc.get("resource", {}).items():
        for name, body in blocks.items():
            text = json.dumps(body)
            if rtype in PLAN_ONLY or any(r in text for r in PLAN_ONLY_REFS):
                removed.add((rtype, name))
    changed = True
    while changed:
        changed = False
        for rtype, blocks in doc.get("resource", {}).items():
            for name, body in blocks.items():
                if (rtype, name) in removed:
                    continue
                refs = set(REF.findall(json.dumps(body)))
                if refs & removed:
                    removed.add((rtype, name))
                    changed = True
    for rtype, name in removed:
        del doc["resource"][rtype][name]
    doc["resource"] = {k: v for k, v in doc.get("resource", {}).items() if v}
    for oname in list(doc.get("output", {})):
        if set(REF.findall(json.dumps(doc["output"][oname]))) & removed:
            del doc["output"][oname]
    return sorted(f"{t}.{n}" for t, n in removed)


def moto_resource_overrides(doc):
    res = {}
    for rtype, blocks in doc.get("resource", {}).items():
        for name, body in blocks.items():
            o = {}
            if body.get("lifecycle", {}).get("prevent_destroy"):
                o["lifecycle"] = {"prevent_destroy": False}
            if rtype == "aws_db_instance":
                o.update({"deletion_protection": False, "skip_final_snapshot": True})
            if rtype == "aws_lb":
                o["enable_deletion_protection"] = False
            if rtype in ("aws_ecs_service",):
                o["wait_for_steady_state"] = False
            if o:
                res.setdefault(rtype, {})[name] = o
    return res


def moto_hosted_zones(doc, endpoint):
    """fargate-prod's records go in a hosted zone given as variable `hosted_zone_id`
    (managed with the apex domain): on moto, that zone is created first and the
    variable defaults to its id."""
    import urllib.request
    for name, var in doc.get("variable", {}).items():
        if not name.endswith("hosted_zone_id") or "default" in var:
            continue
        body = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">'
                f'<Name>example.com.</Name><CallerReference>terrane-ci-{name}</CallerReference>'
                '</CreateHostedZoneRequest>')
        req = urllib.request.Request(f"{endpoint}/2013-04-01/hostedzone", data=body.encode(),
                                     headers={"Content-Type": "application/xml",
                                              # moto routes a request by its credential scope
                                              "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/"
                                              "us-east-1/route53/aws4_request, SignedHeaders=host, Signature=0"},
                                     method="POST")
        with urllib.request.urlopen(req, timeout=10) as resp:
            text = resp.read().decode()
        zone_id = re.search(r"<Id>/hostedzone/([^<]+)</Id>", text).group(1)
        var["default"] = zone_id
        print(f"  moto hosted zone for var.{name}: {zone_id}", file=sys.stderr)


def write_override(stack_dir, endpoint, remotes, moto):
    main = os.path.join(stack_dir, "main.tf.json")
    with open(main) as f:
        doc = json.load(f)
    if moto:
        moto_hosted_zones(doc, endpoint)
        pruned = prune(doc)
        with open(main, "w") as f:
            json.dump(doc, f, indent=2)
        for p in pruned:
            print(f"  plan-only on moto: {p}", file=sys.stderr)
    out = {
        "terraform": {"backend": {"local": {"path": "terraform.tfstate"}}},
        "provider": {"aws": provider_overrides(doc, endpoint, moto)},
    }
    rs = remote_overrides(doc, remotes)
    if rs:
        out["data"] = {"terraform_remote_state": rs}
    if moto:
        res = moto_resource_overrides(doc)
        if res:
            out["resource"] = res
    with open(os.path.join(stack_dir, "aws_override.tf.json"), "w") as f:
        json.dump(out, f, indent=2, sort_keys=True)


def fake_value(name):
    if name.endswith("arn_suffix"):
        return "app/plan-fake/0123456789abcdef"
    if name.endswith("arn"):
        return "arn:aws:iam::123456789012:role/plan-fake"
    if name.endswith("issuer"):
        return "https://oidc.eks.us-east-1.amazonaws.com/id/PLANFAKE0123456789"
    if name.endswith("endpoint") or name.endswith("url"):
        return "https://plan-fake.example.com"
    if "cidr" in name:
        return "10.0.0.0/16"
    if name.endswith("security_group_id"):
        return "sg-0123456789abcdef0"
    if name.startswith("aws_subnet") and name.endswith("_id"):
        return "subnet-0123456789abcdef0"
    if name.startswith("aws_vpc") and name.endswith("_id"):
        return "vpc-0123456789abcdef0"
    if name.endswith("certificate_authority_0_data"):
        return "cGxhbi1mYWtl"
    return "plan-fake"


def fake_state(producer_main, out):
    with open(producer_main) as f:
        doc = json.load(f)
    outputs = {n: {"value": fake_value(n), "type": "string"} for n in doc.get("output", {})}
    state = {"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "terrane-plan-fake",
             "outputs": outputs, "resources": [], "check_results": None}
    with open(out, "w") as f:
        json.dump(state, f, indent=2)


def remotes_of(args):
    return dict(a.split("=", 1) for a in args)


def main():
    mode = sys.argv[1]
    if mode == "plan":
        write_override(sys.argv[2], "http://127.0.0.1:9", remotes_of(sys.argv[3:]), moto=False)
    elif mode == "moto":
        write_override(sys.argv[2], sys.argv[3], remotes_of(sys.argv[4:]), moto=True)
    elif mode == "fake-state":
        fake_state(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
