"""Model of config/survey.yaml (placeholder: being written)."""
from easymall.models.common import Document


class SurveyDocument(Document):
    """config/survey.yaml."""
