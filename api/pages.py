"""The API's pages for people: your tokens, and the API's documentation (from its schema)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from drf_spectacular.generators import SchemaGenerator

from . import tokens
from .forms import CreateTokenForm, RevokeTokenForm
from .models import ApiToken


def token_list(request):
    """Your tokens, and a form to make one. A new key is shown on the response to the POST that
    made it, and never again (only its hash is kept, so it cannot be shown later)."""
    new_key = None
    if request.method == "POST":
        form = CreateTokenForm(request.POST)
        if form.is_valid():
            token, new_key = tokens.create_token(request.user, form.cleaned_data["name"])
            form = CreateTokenForm()
    else:
        form = CreateTokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": ApiToken.objects.filter(user=request.user),
        },
    )


def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    # Bound on POST even when empty (the form has no fields: the button is the confirmation).
    form = RevokeTokenForm(request.POST) if request.method == "POST" else RevokeTokenForm()
    if form.is_bound and form.is_valid():
        tokens.revoke_token(request.user, token)
        messages.success(request, f"Token “{token.name}” revoked")
        return redirect("api:tokens")
    return render(request, "api/token_revoke.html", {"form": form, "token": token})


def _operations(schema: dict) -> list[dict]:
    """The schema's operations as the docs page lists them."""
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            parameters = [
                {
                    "name": parameter["name"],
                    "where": parameter["in"],
                    "required": parameter.get("required", False),
                    "type": parameter.get("schema", {}).get("type", ""),
                    "description": parameter.get("description", ""),
                }
                for parameter in operation.get("parameters", [])
            ]
            responses = [
                {"status": status, "description": response.get("description", "")}
                for status, response in operation.get("responses", {}).items()
            ]
            operations.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "responses": responses,
                }
            )
    return operations


def docs(request):
    """The API's documentation rendered here from its OpenAPI schema: no third-party script or
    style (the site's CSP allows none, and no CDN is reachable)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return render(
        request,
        "api/docs.html",
        {"schema_info": schema["info"], "operations": _operations(schema)},
    )
