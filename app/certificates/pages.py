"""A practitioner's certificates, each as a PDF, and the public verification page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from app.certificates import service
from app.core.links import absolute_url
from app.core.templating import Render
from app.web.deps import CurrentUser, SessionDep, get_optional_viewer

router = APIRouter(tags=["pages"])


def verify_url(request: Request, code: str) -> str:
    return absolute_url(request, f"/verify/{code}")


@router.get("/certificates")
def certificates_page(render: Render, viewer: CurrentUser, session: SessionDep) -> Response:
    return render(
        "certificates/index.html",
        {"title": "Your certificates", "completions": service.my_certificates(session, viewer)},
    )


@router.get("/certificates/{completion_id}.pdf")
def certificate_pdf(
    completion_id: int, request: Request, viewer: CurrentUser, session: SessionDep
) -> Response:
    certificate = service.certificate_for(session, viewer, completion_id)
    filename = (
        f"askwell-certificate-{certificate.module_slug}-{certificate.completed_at:%Y-%m-%d}.pdf"
    )
    # The PDF library costs each worker about 20 MB: loaded at the first download.
    from app.certificates import pdf

    return Response(
        pdf.certificate_pdf(certificate, verify_url(request, certificate.verification_code)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# Public; someone signed in still sees the page with their own navigation.
@router.get("/verify/{code}", dependencies=[Depends(get_optional_viewer)])
def verify_page(
    code: Annotated[str, Path(max_length=64)], render: Render, session: SessionDep
) -> Response:
    certificate = service.verify(session, code)
    return render(
        "certificates/verify.html",
        {"title": "Certificate verified", "certificate": certificate},
    )
