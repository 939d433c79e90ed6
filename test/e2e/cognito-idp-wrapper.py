"""
Signs a user up and confirms them with boto3, the way AWS's Python example does
(aws-doc-sdk-examples, python/example_code/cognito/cognito_idp_actions.py): a wrapper class whose
sign_up_user computes the SecretHash for an app client with a secret and, on UsernameExistsException,
looks the user up and reports whether they are confirmed.

Driven by test/e2e/boto3.test.ts against `npm start`:

    python3 cognito-idp-wrapper.py sign-up --endpoint-url URL --region R --user-pool-id ID \
        --client-id ID [--client-secret S] --username U --password P --email E \
        [--validation-data k=v ...] [--client-metadata k=v ...]
    python3 cognito-idp-wrapper.py confirm --endpoint-url URL --region R --user-pool-id ID \
        --client-id ID [--client-secret S] --username U --code C

Prints one JSON object: {"confirmed": bool} or {"error": {"code": ..., "message": ...}}.
"""

import argparse
import base64
import hashlib
import hmac
import json
import logging
import sys

import boto3
from botocore.exceptions import ClientError

logger = logging.getLogger(__name__)


class CognitoIdentityProviderWrapper:
    """Encapsulates Amazon Cognito actions, as in AWS's example."""

    def __init__(self, cognito_idp_client, user_pool_id, client_id, client_secret=None):
        """
        :param cognito_idp_client: A Boto3 Amazon Cognito Identity Provider client.
        :param user_pool_id: The ID of an existing Amazon Cognito user pool.
        :param client_id: The ID of a client application registered with the user pool.
        :param client_secret: The client secret, if the client has a secret.
        """
        self.cognito_idp_client = cognito_idp_client
        self.user_pool_id = user_pool_id
        self.client_id = client_id
        self.client_secret = client_secret

    def _secret_hash(self, user_name):
        """
        Calculates a secret hash from a user name and a client secret.

        :param user_name: The user name to use when calculating the hash.
        :return: The secret hash.
        """
        key = self.client_secret.encode()
        msg = bytes(user_name + self.client_id, "utf-8")
        secret_hash = base64.b64encode(hmac.new(key, msg, digestmod=hashlib.sha256).digest()).decode()
        logger.info("Made secret hash for %s: %s.", user_name, secret_hash)
        return secret_hash

    def sign_up_user(self, user_name, password, user_email, validation_data=None, client_metadata=None):
        """
        Signs up a new user with Amazon Cognito. This action prompts Amazon Cognito
        to send an email to the specified email address. The email contains a code that
        can be used to confirm the user.

        When the user already exists, the user status is checked to determine whether
        the user has been confirmed.

        :param user_name: The user name that identifies the new user.
        :param password: The password for the new user.
        :param user_email: The email address for the new user.
        :return: True when the user is already confirmed with Amazon Cognito.
                 Otherwise, false.
        """
        try:
            kwargs = {
                "ClientId": self.client_id,
                "Username": user_name,
                "Password": password,
                "UserAttributes": [{"Name": "email", "Value": user_email}],
            }
            if self.client_secret is not None:
                kwargs["SecretHash"] = self._secret_hash(user_name)
            if validation_data:
                kwargs["ValidationData"] = [{"Name": k, "Value": v} for k, v in validation_data.items()]
            if client_metadata:
                kwargs["ClientMetadata"] = client_metadata
            response = self.cognito_idp_client.sign_up(**kwargs)
            confirmed = response["UserConfirmed"]
        except ClientError as err:
            if err.response["Error"]["Code"] == "UsernameExistsException":
                response = self.cognito_idp_client.admin_get_user(
                    UserPoolId=self.user_pool_id, Username=user_name
                )
                logger.warning("User %s exists and is %s.", user_name, response["UserStatus"])
                confirmed = response["UserStatus"] == "CONFIRMED"
            else:
                logger.error(
                    "Couldn't sign up %s. Here's why: %s: %s",
                    user_name,
                    err.response["Error"]["Code"],
                    err.response["Error"]["Message"],
                )
                raise
        return confirmed

    def confirm_user_sign_up(self, user_name, confirmation_code):
        """
        Confirms a previously created user. A user must be confirmed before they
        can sign in to Amazon Cognito.

        :param user_name: The name of the user to confirm.
        :param confirmation_code: The confirmation code sent to the user's registered
                                  email address.
        :return: True when the confirmation succeeds.
        """
        try:
            kwargs = {
                "ClientId": self.client_id,
                "Username": user_name,
                "ConfirmationCode": confirmation_code,
            }
            if self.client_secret is not None:
                kwargs["SecretHash"] = self._secret_hash(user_name)
            self.cognito_idp_client.confirm_sign_up(**kwargs)
        except ClientError as err:
            logger.error(
                "Couldn't confirm sign up for %s. Here's why: %s: %s",
                user_name,
                err.response["Error"]["Code"],
                err.response["Error"]["Message"],
            )
            raise
        else:
            return True


def pairs(items):
    """`k=v` arguments as a dict."""
    return dict(item.split("=", 1) for item in items or [])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["sign-up", "confirm"])
    parser.add_argument("--endpoint-url", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--user-pool-id", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password")
    parser.add_argument("--email")
    parser.add_argument("--code")
    parser.add_argument("--validation-data", nargs="*")
    parser.add_argument("--client-metadata", nargs="*")
    args = parser.parse_args()

    client = boto3.client("cognito-idp", region_name=args.region, endpoint_url=args.endpoint_url)
    wrapper = CognitoIdentityProviderWrapper(client, args.user_pool_id, args.client_id, args.client_secret)
    try:
        if args.action == "sign-up":
            confirmed = wrapper.sign_up_user(
                args.username,
                args.password,
                args.email,
                pairs(args.validation_data),
                pairs(args.client_metadata),
            )
            print(json.dumps({"confirmed": confirmed}))
        else:
            print(json.dumps({"confirmed": wrapper.confirm_user_sign_up(args.username, args.code)}))
    except ClientError as err:
        print(json.dumps({"error": {"code": err.response["Error"]["Code"], "message": err.response["Error"]["Message"]}}))
        return 1
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    sys.exit(main())
