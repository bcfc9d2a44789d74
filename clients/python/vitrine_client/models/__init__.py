"""Contains all the data models used in inputs/outputs"""

from .adapter_in import AdapterIn
from .attribute_answer_public import AttributeAnswerPublic
from .attribute_answer_public_scores_type_0 import AttributeAnswerPublicScoresType0
from .attribute_batch_item_public import AttributeBatchItemPublic
from .attribute_batch_item_public_answers_type_0 import AttributeBatchItemPublicAnswersType0
from .attribute_batch_item_public_attributes_type_0 import AttributeBatchItemPublicAttributesType0
from .attribute_batch_item_public_error_type_0 import AttributeBatchItemPublicErrorType0
from .attribute_batch_item_public_status import AttributeBatchItemPublicStatus
from .attribute_batch_job import AttributeBatchJob
from .attribute_batch_job_links import AttributeBatchJobLinks
from .attribute_batch_result import AttributeBatchResult
from .attribute_job_create import AttributeJobCreate
from .attribute_model_create import AttributeModelCreate
from .attribute_model_public import AttributeModelPublic
from .attribute_model_public_links import AttributeModelPublicLinks
from .attribute_model_public_status import AttributeModelPublicStatus
from .attribute_model_result import AttributeModelResult
from .attribute_model_result_accuracy import AttributeModelResultAccuracy
from .attribute_model_training_job import AttributeModelTrainingJob
from .attribute_model_training_job_links import AttributeModelTrainingJobLinks
from .attribute_models_public import AttributeModelsPublic
from .attribute_training_public import AttributeTrainingPublic
from .attributes_create import AttributesCreate
from .attributes_public import AttributesPublic
from .attributes_public_answers import AttributesPublicAnswers
from .attributes_public_attributes import AttributesPublicAttributes
from .avatar_generation_create import AvatarGenerationCreate
from .avatar_generation_job import AvatarGenerationJob
from .avatar_generation_job_links import AvatarGenerationJobLinks
from .avatar_generation_result import AvatarGenerationResult
from .avatar_model_create import AvatarModelCreate
from .avatar_model_create_subject_class import AvatarModelCreateSubjectClass
from .avatar_model_in import AvatarModelIn
from .avatar_model_in_subject_class import AvatarModelInSubjectClass
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
from .captioned_image_in import CaptionedImageIn
from .compared_model_in import ComparedModelIn
from .compared_model_in_type import ComparedModelInType
from .compared_model_in_variant import ComparedModelInVariant
from .compared_model_public import ComparedModelPublic
from .compared_prompt_in import ComparedPromptIn
from .compared_prompt_public import ComparedPromptPublic
from .comparison_cell_public import ComparisonCellPublic
from .comparison_cell_public_status import ComparisonCellPublicStatus
from .comparison_create import ComparisonCreate
from .comparison_create_size import ComparisonCreateSize
from .comparison_job import ComparisonJob
from .comparison_job_links import ComparisonJobLinks
from .comparison_result_public import ComparisonResultPublic
from .comparison_result_public_ratings import ComparisonResultPublicRatings
from .comparison_result_public_scorer import ComparisonResultPublicScorer
from .comparisons_public import ComparisonsPublic
from .concept_model_create import ConceptModelCreate
from .concept_training_job import ConceptTrainingJob
from .concept_training_job_links import ConceptTrainingJobLinks
from .control_in import ControlIn
from .control_in_type import ControlInType
from .control_spec_in import ControlSpecIn
from .control_spec_in_type import ControlSpecInType
from .cost_figures import CostFigures
from .description_create import DescriptionCreate
from .description_create_attributes import DescriptionCreateAttributes
from .description_create_length import DescriptionCreateLength
from .description_create_tone import DescriptionCreateTone
from .description_public import DescriptionPublic
from .generated_image_public import GeneratedImagePublic
from .generation_create import GenerationCreate
from .generation_create_size import GenerationCreateSize
from .generation_create_variant import GenerationCreateVariant
from .generation_job import GenerationJob
from .generation_job_links import GenerationJobLinks
from .generation_result import GenerationResult
from .health_public import HealthPublic
from .health_public_status import HealthPublicStatus
from .image_in import ImageIn
from .job_error_public import JobErrorPublic
from .job_progress_public import JobProgressPublic
from .job_status import JobStatus
from .list_models_kind_type_0 import ListModelsKindType0
from .mask_public import MaskPublic
from .model_public import ModelPublic
from .model_public_kind import ModelPublicKind
from .model_public_links import ModelPublicLinks
from .model_public_status import ModelPublicStatus
from .model_summary_public import ModelSummaryPublic
from .model_training_public import ModelTrainingPublic
from .models_public import ModelsPublic
from .pick_in import PickIn
from .problem import Problem
from .problem_field_error import ProblemFieldError
from .product_describe_create import ProductDescribeCreate
from .product_describe_create_length import ProductDescribeCreateLength
from .product_describe_create_tone import ProductDescribeCreateTone
from .product_description_public import ProductDescriptionPublic
from .product_model_create import ProductModelCreate
from .product_training_job import ProductTrainingJob
from .product_training_job_links import ProductTrainingJobLinks
from .ratings_in import RatingsIn
from .result_image import ResultImage
from .retired_secret_public import RetiredSecretPublic
from .segmentation_create import SegmentationCreate
from .segmentation_create_response_format import SegmentationCreateResponseFormat
from .segmentation_public import SegmentationPublic
from .stats import Stats
from .style_model_create import StyleModelCreate
from .style_training_job import StyleTrainingJob
from .style_training_job_links import StyleTrainingJobLinks
from .taxonomies_public import TaxonomiesPublic
from .taxonomy_attribute_in import TaxonomyAttributeIn
from .taxonomy_attribute_public import TaxonomyAttributePublic
from .taxonomy_in import TaxonomyIn
from .taxonomy_in_attributes import TaxonomyInAttributes
from .taxonomy_public import TaxonomyPublic
from .taxonomy_public_attributes import TaxonomyPublicAttributes
from .tenant_model_result_public import TenantModelResultPublic
from .tenant_model_result_public_adapter_type import TenantModelResultPublicAdapterType
from .tenant_model_result_public_kind import TenantModelResultPublicKind
from .tenant_model_result_public_metadata import TenantModelResultPublicMetadata
from .training_row_in import TrainingRowIn
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
from .upload_create_content_type_type_0 import UploadCreateContentTypeType0
from .upload_create_content_type_type_1 import UploadCreateContentTypeType1
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
    "AdapterIn",
    "AttributeAnswerPublic",
    "AttributeAnswerPublicScoresType0",
    "AttributeBatchItemPublic",
    "AttributeBatchItemPublicAnswersType0",
    "AttributeBatchItemPublicAttributesType0",
    "AttributeBatchItemPublicErrorType0",
    "AttributeBatchItemPublicStatus",
    "AttributeBatchJob",
    "AttributeBatchJobLinks",
    "AttributeBatchResult",
    "AttributeJobCreate",
    "AttributeModelCreate",
    "AttributeModelPublic",
    "AttributeModelPublicLinks",
    "AttributeModelPublicStatus",
    "AttributeModelResult",
    "AttributeModelResultAccuracy",
    "AttributeModelsPublic",
    "AttributeModelTrainingJob",
    "AttributeModelTrainingJobLinks",
    "AttributesCreate",
    "AttributesPublic",
    "AttributesPublicAnswers",
    "AttributesPublicAttributes",
    "AttributeTrainingPublic",
    "AvatarGenerationCreate",
    "AvatarGenerationJob",
    "AvatarGenerationJobLinks",
    "AvatarGenerationResult",
    "AvatarModelCreate",
    "AvatarModelCreateSubjectClass",
    "AvatarModelIn",
    "AvatarModelInSubjectClass",
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
    "CaptionedImageIn",
    "ComparedModelIn",
    "ComparedModelInType",
    "ComparedModelInVariant",
    "ComparedModelPublic",
    "ComparedPromptIn",
    "ComparedPromptPublic",
    "ComparisonCellPublic",
    "ComparisonCellPublicStatus",
    "ComparisonCreate",
    "ComparisonCreateSize",
    "ComparisonJob",
    "ComparisonJobLinks",
    "ComparisonResultPublic",
    "ComparisonResultPublicRatings",
    "ComparisonResultPublicScorer",
    "ComparisonsPublic",
    "ConceptModelCreate",
    "ConceptTrainingJob",
    "ConceptTrainingJobLinks",
    "ControlIn",
    "ControlInType",
    "ControlSpecIn",
    "ControlSpecInType",
    "CostFigures",
    "DescriptionCreate",
    "DescriptionCreateAttributes",
    "DescriptionCreateLength",
    "DescriptionCreateTone",
    "DescriptionPublic",
    "GeneratedImagePublic",
    "GenerationCreate",
    "GenerationCreateSize",
    "GenerationCreateVariant",
    "GenerationJob",
    "GenerationJobLinks",
    "GenerationResult",
    "HealthPublic",
    "HealthPublicStatus",
    "ImageIn",
    "JobErrorPublic",
    "JobProgressPublic",
    "JobStatus",
    "ListModelsKindType0",
    "MaskPublic",
    "ModelPublic",
    "ModelPublicKind",
    "ModelPublicLinks",
    "ModelPublicStatus",
    "ModelsPublic",
    "ModelSummaryPublic",
    "ModelTrainingPublic",
    "PickIn",
    "Problem",
    "ProblemFieldError",
    "ProductDescribeCreate",
    "ProductDescribeCreateLength",
    "ProductDescribeCreateTone",
    "ProductDescriptionPublic",
    "ProductModelCreate",
    "ProductTrainingJob",
    "ProductTrainingJobLinks",
    "RatingsIn",
    "ResultImage",
    "RetiredSecretPublic",
    "SegmentationCreate",
    "SegmentationCreateResponseFormat",
    "SegmentationPublic",
    "Stats",
    "StyleModelCreate",
    "StyleTrainingJob",
    "StyleTrainingJobLinks",
    "TaxonomiesPublic",
    "TaxonomyAttributeIn",
    "TaxonomyAttributePublic",
    "TaxonomyIn",
    "TaxonomyInAttributes",
    "TaxonomyPublic",
    "TaxonomyPublicAttributes",
    "TenantModelResultPublic",
    "TenantModelResultPublicAdapterType",
    "TenantModelResultPublicKind",
    "TenantModelResultPublicMetadata",
    "TrainingRowIn",
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
    "UploadCreateContentTypeType0",
    "UploadCreateContentTypeType1",
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
