from typing import Literal

WebhookSecretsPublicSignedWith = Literal["deployment", "tenant"]

WEBHOOK_SECRETS_PUBLIC_SIGNED_WITH_VALUES: set[WebhookSecretsPublicSignedWith] = {
    "deployment",
    "tenant",
}


def check_webhook_secrets_public_signed_with(value: str) -> WebhookSecretsPublicSignedWith:
    if value in WEBHOOK_SECRETS_PUBLIC_SIGNED_WITH_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {WEBHOOK_SECRETS_PUBLIC_SIGNED_WITH_VALUES!r}")
