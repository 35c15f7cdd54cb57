from pydantic import BaseModel, Field


class Answer(BaseModel):
    answer: str = Field(min_length=2)


class Referral(BaseModel):
    referred_to: str = Field(
        min_length=2, description="the department the elder is put in touch with"
    )
    note: str | None = None
