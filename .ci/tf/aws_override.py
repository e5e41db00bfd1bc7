"""Points one stack's working copy at moto, for `terrane apply|destroy --prepare`
(.ci/moto.sh): terrane copies each synthesized stack to out/<target>/.state/work/<stack>/
and runs this there before `terraform init`; with `--backend local` terrane itself
moves the state and the terraform_remote_state reads to local files.

  aws_override.py moto STACK_DIR ENDPOINT

writes `aws_override.tf.json` beside main.tf.json (terraform merges override files
last): every aws endpoint pointed at moto with fake credentials; prevent_destroy and
deletion protection off so destroy can run; and, in the working copy's main.tf.json,
the resource types moto cannot serve (PLAN_ONLY below) pruned together with everything
that refers to them (each printed). The synthesized files are never touched.

Why this stays a CI script rather than a terrane option: which resources moto cannot
serve, and the hosted zone it needs first, is knowledge about one moto version's gaps,
not something a user's deploy should carry; terrane's generic `--prepare` hook drives it.
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
    "aws_elasticache_user_group": "moto 5.2 has no user groups (CreateUserGroup is not implemented; its users are created)",
    "aws_budgets_budget": "moto's Budgets has no DescribeSubscribersForNotification, which the provider reads after create",
    "aws_backup_selection": "moto's AWS Backup has no selections (CreateBackupSelection is not implemented)",
    "aws_cloudfront_response_headers_policy": "moto's CloudFront has no response headers policies (CreateResponseHeadersPolicy answers 404)",
    "aws_cloudfront_vpc_origin": "moto 5.2.5's CloudFront has no VPC origins (CreateVpcOrigin is not implemented)",
}


def provider_overrides(doc, endpoint):
    providers = doc.get("provider", {}).get("aws", [{}])
    if isinstance(providers, dict):
        providers = [providers]
    out = []
    for p in providers:
        o = {
            "access_key": "test",
            "secret_key": "test",
            "skip_credentials_validation": True,
            # no skip_requesting_account_id: moto answers sts:GetCallerIdentity, and
            # resources such as budgets need the account id
            "skip_metadata_api_check": True,
            "skip_region_validation": True,
            "s3_use_path_style": True,
            "max_retries": 2,
            "endpoints": [{s: endpoint for s in SERVICES}],
        }
        if "alias" in p:
            o["alias"] = p["alias"]
        out.append(o)
    return out


# References moto cannot satisfy: a block using one is plan-only on moto, like PLAN_ONLY.
PLAN_ONLY_REFS = {
    "cluster_security_group_id": "moto's EKS creates no cluster security group (the attribute is empty), "
    "so the rules letting the cluster's nodes into the database and cache cannot be created",
}

# Optional arguments that refer to a PLAN_ONLY resource: dropped from the block on moto
# (the block is then applied without them) rather than pruning the block, and why.
OPTIONAL_REFS = {
    "response_headers_policy_id": "a cache behaviour works without its headers policy; "
    "dropping it lets the distribution itself be created on moto",
}

# Arguments that refer to a PLAN_ONLY resource and that their block cannot go without:
# replaced on moto by a stand-in (key, value), and why.
STAND_INS = {
    "vpc_origin_config": (
        "custom_origin_config",
        {"http_port": 80, "https_port": 443, "origin_protocol_policy": "https-only",
         "origin_ssl_protocols": ["TLSv1.2"]},
        "an origin needs a custom, S3 or VPC origin config (without one the provider sends an "
        "empty S3 config, which CloudFront refuses for a load balancer's name); on moto the "
        "origin is a custom HTTPS origin of the same name, so the distribution, its records "
        "and its log delivery are still created",
    ),
}

REF = re.compile(r"\b(aws_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)")


def prune(doc):
    """Removes PLAN_ONLY resources and, transitively, every block (resource or data
    source: a policy document naming a pruned resource's ARN) and output using them
    (after dropping the OPTIONAL_REFS arguments that name one and replacing the
    STAND_INS ones)."""
    removed = set()
    for rtype, blocks in doc.get("resource", {}).items():
        for name, body in blocks.items():
            text = json.dumps(body)
            if rtype in PLAN_ONLY or any(r in text for r in PLAN_ONLY_REFS):
                removed.add((rtype, name))
    for blocks in doc.get("resource", {}).values():
        for body in blocks.values():
            drop_optional_refs(body, removed)
    # (kind, type, name): data sources are referred to as data.TYPE.NAME, which REF
    # reads as TYPE.NAME, so both kinds share the removed set's keys.
    blocks_of = [(kind, rtype, name, body)
                 for kind in ("resource", "data")
                 for rtype, blocks in doc.get(kind, {}).items()
                 for name, body in blocks.items()]
    removed_data = set()
    changed = True
    while changed:
        changed = False
        for kind, rtype, name, body in blocks_of:
            if (rtype, name) in removed:
                continue
            refs = set(REF.findall(json.dumps(body)))
            if refs & removed:
                removed.add((rtype, name))
                if kind == "data":
                    removed_data.add((rtype, name))
                changed = True
    for rtype, name in removed:
        kind = "data" if (rtype, name) in removed_data else "resource"
        del doc[kind][rtype][name]
    for kind in ("resource", "data"):
        if kind in doc:
            doc[kind] = {k: v for k, v in doc[kind].items() if v}
    for oname in list(doc.get("output", {})):
        if set(REF.findall(json.dumps(doc["output"][oname]))) & removed:
            del doc["output"][oname]
    return sorted(
        f"data.{t}.{n}" if (t, n) in removed_data else f"{t}.{n}" for t, n in removed
    )


def drop_optional_refs(node, removed):
    """Removes, anywhere in `node`, the OPTIONAL_REFS arguments naming a removed block,
    and replaces the STAND_INS ones by their stand-in."""
    if isinstance(node, list):
        for item in node:
            drop_optional_refs(item, removed)
    elif isinstance(node, dict):
        for key in list(node):
            names_removed = (key in OPTIONAL_REFS or key in STAND_INS) and bool(
                set(REF.findall(json.dumps(node[key]))) & removed)
            if key in OPTIONAL_REFS and names_removed:
                del node[key]
            elif key in STAND_INS and names_removed:
                stand_in, value, _why = STAND_INS[key]
                del node[key]
                node[stand_in] = value
            else:
                drop_optional_refs(node[key], removed)


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


def moto_hosted_zones(doc, endpoint, stack_dir):
    """fargate-prod's records go in a hosted zone given as variable `hosted_zone_id`
    (managed with the apex domain), supplied at apply: on moto, that zone is created
    first and its id written to moto.auto.tfvars.json, which terraform reads after (so
    over) the TF_VAR_ placeholder .ci/moto.sh exports for every supplied variable. The
    id is kept in the working copy (.moto-zone-<var>, a dot file terrane keeps when it
    refreshes the copy) so destroy sees the same zone."""
    import urllib.request
    values = {}
    for name, var in doc.get("variable", {}).items():
        if not name.endswith("hosted_zone_id") or "default" in var:
            continue
        cache = os.path.join(stack_dir, f".moto-zone-{name}")
        if os.path.exists(cache):
            with open(cache) as f:
                values[name] = f.read().strip()
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
        values[name] = zone_id
        with open(cache, "w") as f:
            f.write(zone_id)
        print(f"  moto hosted zone for var.{name}: {zone_id}", file=sys.stderr)
    if values:
        with open(os.path.join(stack_dir, "moto.auto.tfvars.json"), "w") as f:
            json.dump(values, f)


def write_override(stack_dir, endpoint):
    main = os.path.join(stack_dir, "main.tf.json")
    with open(main) as f:
        doc = json.load(f)
    moto_hosted_zones(doc, endpoint, stack_dir)
    pruned = prune(doc)
    with open(main, "w") as f:
        json.dump(doc, f, indent=2)
    for p in pruned:
        print(f"  plan-only on moto: {p}", file=sys.stderr)
    out = {"provider": {"aws": provider_overrides(doc, endpoint)}}
    res = moto_resource_overrides(doc)
    if res:
        out["resource"] = res
    with open(os.path.join(stack_dir, "aws_override.tf.json"), "w") as f:
        json.dump(out, f, indent=2, sort_keys=True)


def main():
    if len(sys.argv) != 4 or sys.argv[1] != "moto":
        sys.exit(__doc__)
    write_override(sys.argv[2], sys.argv[3])


if __name__ == "__main__":
    main()
