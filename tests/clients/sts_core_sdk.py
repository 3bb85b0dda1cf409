"""Drives the real aliyun-python-sdk-core RPC signer against the project's STS emulator.

Usage: sts_core_sdk.py MODE HOST PORT ACCESS_KEY_ID SECRET ROLE_ARN
MODE: post     AssumeRole via CommonRequest (POST, params in the query)
      get      the same with GET
      model    AssumeRole via aliyunsdksts' generated AssumeRoleRequest
      tampered a URL signed by the SDK with one character of the Signature changed
Prints one JSON line: {"AccessKeyId": ...} on success, {"Code": ..., "Message": ...} on a server error.
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest
from aliyunsdksts.request.v20150401.AssumeRoleRequest import AssumeRoleRequest


def common_request(host, method, role_arn):
    req = CommonRequest()
    req.set_domain(host)
    req.set_protocol_type("http")
    req.set_method(method)
    req.set_version("2015-04-01")
    req.set_action_name("AssumeRole")
    req.set_accept_format("JSON")
    req.add_query_param("RoleArn", role_arn)
    req.add_query_param("RoleSessionName", "python-sdk-core")
    req.add_query_param("DurationSeconds", "3600")
    return req


def main():
    mode, host, port, ak, secret, role_arn = sys.argv[1:7]
    client = AcsClient(ak, secret, "cn-hangzhou", port=int(port), auto_retry=False)
    if mode in ("post", "get", "model"):
        if mode == "model":
            req = AssumeRoleRequest()
            req.set_endpoint(host)
            req.set_protocol_type("http")
            req.set_RoleArn(role_arn)
            req.set_RoleSessionName("python-sdk-sts")
            req.set_DurationSeconds(3600)
        else:
            req = common_request(host, mode.upper(), role_arn)
        try:
            body = client.do_action_with_exception(req)
        except ServerException as e:
            print(json.dumps({"Code": e.get_error_code(), "Message": e.get_error_msg()}))
            return
        print(json.dumps({"AccessKeyId": json.loads(body)["Credentials"]["AccessKeyId"]}))
    elif mode == "tampered":
        req = common_request(host, "POST", role_arn)
        req.trans_to_acs_request()
        url = req.get_url("cn-hangzhou", ak, secret)
        parts = urllib.parse.urlsplit(url)
        pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        out = []
        for k, v in pairs:
            if k == "Signature":
                v = ("B" if v[0] == "A" else "A") + v[1:]
            out.append((k, v))
        query = urllib.parse.urlencode(out, quote_via=urllib.parse.quote, safe="")
        full = "http://%s:%s/?%s" % (host, port, query)
        try:
            with urllib.request.urlopen(urllib.request.Request(full, method="POST", data=b"")) as r:
                print(json.dumps({"AccessKeyId": json.loads(r.read())["Credentials"]["AccessKeyId"]}))
        except urllib.error.HTTPError as e:
            doc = json.loads(e.read())
            print(json.dumps({"Code": doc["Code"], "Message": doc["Message"], "Status": e.code}))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
