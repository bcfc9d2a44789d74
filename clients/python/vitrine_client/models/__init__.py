"""Contains all the data models used in inputs/outputs"""

from .attributes_create import AttributesCreate
from .attributes_public import AttributesPublic
from .attributes_public_attributes import AttributesPublicAttributes
from .avatar_generation_create import AvatarGenerationCreate
from .avatar_generation_job import AvatarGenerationJob
from .avatar_generation_job_links import AvatarGenerationJobLinks
from .avatar_generation_result import AvatarGenerationResult
from .avatar_model_create import AvatarModelCreate
from .avatar_model_create_subject_class import AvatarModelCreateSubjectClass
from .avatar_model_public import AvatarModelPublic
from .avatar_model_public_links import AvatarModelPublicLinks
from .avatar_model_public_status import AvatarModelPublicStatus
from .avatar_model_public_subject_class import AvatarModelPublicSubjectClass
from .avatar_models_public import AvatarModelsPublic
from .avatar_training_job import AvatarTrainingJob
from .avatar_training_job_links import AvatarTrainingJobLinks
from .avatar_training_public import AvatarTrainingPublic
from .avatar_training_result import AvatarTrainingResult
from .avatar_training_result_metadata import AvatarTrainingResultMetadata
from .description_create import DescriptionCreate
from .description_create_attributes import DescriptionCreateAttributes
from .description_create_length import DescriptionCreateLength
from .description_create_tone import DescriptionCreateTone
from .description_public import DescriptionPublic
from .health_public import HealthPublic
from .health_public_status import HealthPublicStatus
from .image_in import ImageIn
from .job_error_public import JobErrorPublic
from .job_progress_public import JobProgressPublic
from .job_status import JobStatus
from .mask_public import MaskPublic
from .problem import Problem
from .problem_field_error import ProblemFieldError
from .product_describe_create import ProductDescribeCreate
from .product_describe_create_length import ProductDescribeCreateLength
from .product_describe_create_tone import ProductDescribeCreateTone
from .product_description_public import ProductDescriptionPublic
from .result_image import ResultImage
from .retired_secret_public import RetiredSecretPublic
from .segmentation_create import SegmentationCreate
from .segmentation_create_response_format import SegmentationCreateResponseFormat
from .segmentation_public import SegmentationPublic
from .try_on_create import TryOnCreate
from .try_on_create_category import TryOnCreateCategory
from .try_on_create_format import TryOnCreateFormat
from .try_on_create_variants_item import TryOnCreateVariantsItem
from .try_on_image_public import TryOnImagePublic
from .try_on_image_public_variants import TryOnImagePublicVariants
from .try_on_job import TryOnJob
from .try_on_job_links import TryOnJobLinks
from .try_on_result import TryOnResult
from .try_on_result_format import TryOnResultFormat
from .try_on_variant import TryOnVariant
from .upload_create import UploadCreate
from .upload_create_content_type import UploadCreateContentType
from .upload_public import UploadPublic
from .upload_target_public import UploadTargetPublic
from .upload_target_public_headers import UploadTargetPublicHeaders
from .webhook_delivery_public import WebhookDeliveryPublic
from .webhook_delivery_public_state import WebhookDeliveryPublicState
from .webhook_secret_created import WebhookSecretCreated
from .webhook_secrets_public import WebhookSecretsPublic
from .webhook_secrets_public_signed_with import WebhookSecretsPublicSignedWith
from .withheld_image import WithheldImage

__all__ = (
    "AttributesCreate",
    "AttributesPublic",
    "AttributesPublicAttributes",
    "AvatarGenerationCreate",
    "AvatarGenerationJob",
    "AvatarGenerationJobLinks",
    "AvatarGenerationResult",
    "AvatarModelCreate",
    "AvatarModelCreateSubjectClass",
    "AvatarModelPublic",
    "AvatarModelPublicLinks",
    "AvatarModelPublicStatus",
    "AvatarModelPublicSubjectClass",
    "AvatarModelsPublic",
    "AvatarTrainingJob",
    "AvatarTrainingJobLinks",
    "AvatarTrainingPublic",
    "AvatarTrainingResult",
    "AvatarTrainingResultMetadata",
    "DescriptionCreate",
    "DescriptionCreateAttributes",
    "DescriptionCreateLength",
    "DescriptionCreateTone",
    "DescriptionPublic",
    "HealthPublic",
    "HealthPublicStatus",
    "ImageIn",
    "JobErrorPublic",
    "JobProgressPublic",
    "JobStatus",
    "MaskPublic",
    "Problem",
    "ProblemFieldError",
    "ProductDescribeCreate",
    "ProductDescribeCreateLength",
    "ProductDescribeCreateTone",
    "ProductDescriptionPublic",
    "ResultImage",
    "RetiredSecretPublic",
    "SegmentationCreate",
    "SegmentationCreateResponseFormat",
    "SegmentationPublic",
    "TryOnCreate",
    "TryOnCreateCategory",
    "TryOnCreateFormat",
    "TryOnCreateVariantsItem",
    "TryOnImagePublic",
    "TryOnImagePublicVariants",
    "TryOnJob",
    "TryOnJobLinks",
    "TryOnResult",
    "TryOnResultFormat",
    "TryOnVariant",
    "UploadCreate",
    "UploadCreateContentType",
    "UploadPublic",
    "UploadTargetPublic",
    "UploadTargetPublicHeaders",
    "WebhookDeliveryPublic",
    "WebhookDeliveryPublicState",
    "WebhookSecretCreated",
    "WebhookSecretsPublic",
    "WebhookSecretsPublicSignedWith",
    "WithheldImage",
)
