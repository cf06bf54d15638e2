"""The profile: what the coach knows about you."""

from __future__ import annotations

from fastapi import APIRouter, Request

from amante.profiles import ProfileError
from amante.web.api.schemas import ErrorOut, ProfileIn, ProfileOut
from amante.web.deps import AuthDep, service_for
from amante.web.errors import ApiError

router = APIRouter(prefix="/me", tags=["profile"])
ERRORS = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 422: {"model": ErrorOut}}


def profile_json(service) -> dict:
    data = service.profile().to_dict()
    data["facts"] = [f.to_dict() for f in service.facts()]
    return data


@router.get("", response_model=ProfileOut, responses=ERRORS)
def get_me(auth: AuthDep, request: Request) -> dict:
    """Your profile and the facts the coach learned."""
    return profile_json(service_for(request, auth.user.id))


@router.patch("", response_model=ProfileOut, responses=ERRORS)
def update_me(body: ProfileIn, auth: AuthDep, request: Request) -> dict:
    """Change profile fields (only the fields you send)."""
    service = service_for(request, auth.user.id)
    try:
        service.set_profile(body.model_dump(exclude_unset=True))
    except ProfileError as exc:
        raise ApiError(422, "validation_error", str(exc)) from None
    return profile_json(service)
