"""Forms: the admin's (an article edited there obeys the rules an imported file does,
learn.parsing) and the search page's."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from taggit.forms import TagWidget

from learn import history
from learn.models import Article, RelatedLink, Subject
from learn.parsing import check_answer, check_text, single_line
from learn.uploads import MAX_UPLOAD_BYTES


class TextWithNewlinesField(forms.CharField):
    """Text whose line endings are stored as ``\n``: browsers send a textarea's with
    ``\r\n``, which would make an untouched answer look changed and be rewritten."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class ArticleAdminForm(forms.ModelForm):
    """An article's fields, and the revision its editor started from.

    ``seen_revision`` carries the id of the article's latest version
    (``learn.history``) when the form was opened. Saving checks it against the latest
    now, with the article's row locked: a newer revision (another editor's save, an
    import, an action) refuses the save, with ``conflict`` the two versions to show,
    and the form's data, the editor's text included, is kept as sent. The token is
    moved to the newest revision, so saving again replaces it knowingly.
    """

    seen_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "question",
            "title",
            "subject",
            "slug",
            "answer",
            "seo_title",
            "seo_description",
            "tags",
            "no_index",
            "status",
            "published_on",
            "published_time",
            "author",
            "date_format",
            "posted_on_text",
            "source_id",
            "source_file",
            "score",
            "extra",
        ]
        # The tag field reads and shows keywords by page_keywords' rules
        # (TAGGIT_TAGS_FROM_STRING, TAGGIT_STRING_FROM_TAGS).
        widgets = {"tags": TagWidget(attrs={"size": 80})}
        help_texts = {"tags": "Comma-separated, as in the file's page_keywords."}
        field_classes = {"answer": TextWithNewlinesField, "seo_description": TextWithNewlinesField}

    conflict = None
    # Whether clean() refuses a save over a newer revision (the admin's preview, which
    # saves nothing, turns it off).
    checks_conflicts = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the day's start: files carry a date only.
        self.fields["published_time"].required = False
        if self.instance.pk is not None:
            self.fields["seen_revision"].initial = history.latest_version_id(self.instance.pk)

    def _save_m2m(self):
        # Unchanged topics are not written again (nor their keywords, nor the pages).
        if "tags" not in self.changed_data:
            self.cleaned_data.pop("tags", None)
        super()._save_m2m()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or not self.checks_conflicts:
            return cleaned
        # In the admin's transaction the row stays locked until the save commits: no
        # other save lands between this check and it. (Alone, as a preview validates,
        # the lock ends with this block.)
        with transaction.atomic():
            Article.objects.select_for_update().filter(pk=self.instance.pk).exists()
            latest = history.latest_version_id(self.instance.pk)
        seen = cleaned.get("seen_revision")
        if latest is not None and seen != latest:
            self.conflict = (seen, latest)
            self.data = self.data.copy()
            self.data[self.add_prefix("seen_revision")] = latest
            raise ValidationError(
                "Someone else saved this article after you opened it. Your changes are "
                "not saved, and are still in the form below; their change is shown here. "
                "Save again to replace their version with yours.",
                code="edit_conflict",
            )
        return cleaned

    def clean_published_time(self):
        return self.cleaned_data["published_time"] or datetime.time()

    def _nonempty(self, name):
        try:
            return check_text(self.cleaned_data[name])
        except ValueError as error:
            raise ValidationError(f"This {error}.", code="empty") from None

    def clean_question(self):
        return self._nonempty("question")

    def clean_title(self):
        return self._nonempty("title")

    def clean_answer(self):
        answer = self._nonempty("answer")
        try:
            return check_answer(answer)
        except ValueError as error:
            raise ValidationError(f"The answer {error}.", code="too_long") from None


class RelatedLinkForm(forms.ModelForm):
    """A link chosen in the admin is written as the importer writes a resolved one."""

    class Meta:
        model = RelatedLink
        fields = ["position", "target", "target_title", "target_url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_title"].required = False
        self.fields["target_url"].required = False

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        if target is not None:
            cleaned["target_url"] = target.get_absolute_url()
            cleaned["target_title"] = cleaned.get("target_title") or target.question
            self.instance.target_subject = target.subject.name
        elif not cleaned.get("target_url"):
            raise ValidationError("Choose a target article.", code="no_target")
        elif not cleaned.get("target_title"):
            self.add_error("target_title", "A link to an article not imported yet needs a title.")
        return cleaned


class SubjectAdminForm(forms.ModelForm):
    class Meta:
        model = Subject
        fields = ["name", "slug"]

    def clean_name(self):
        return single_line(self.cleaned_data["name"])


class MoveToSubjectForm(forms.Form):
    subject = forms.ModelChoiceField(Subject.objects.all(), label="Move to")


class MergeSubjectsForm(forms.Form):
    target = forms.ModelChoiceField(Subject.objects.all(), label="Merge into")

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Subject.objects.exclude(pk__in=[s.pk for s in sources])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, each checked as a FileField checks one (Django's recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".md,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ImportUploadForm(forms.Form):
    files = MultipleFileField(help_text="Article .md files, or one .zip of them.")

    def clean_files(self):
        files = self.cleaned_data["files"]
        if sum(upload.size for upload in files) > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"Upload at most {MAX_UPLOAD_BYTES // 1024 // 1024} MB at once.", code="too_big"
            )
        return files


class SearchFilterForm(forms.Form):
    """The search page's subject filter, from the query string (the query itself is
    bounded by ``learn.search.terms.limit``, whatever it holds).

    The subjects are those of the header (``subjects``: name and slug, cached), so that
    checking one costs no query; an unknown one is an error and filters nothing.
    """

    subject = forms.ChoiceField(required=False, label="Subject")

    def __init__(self, data, *, subjects):
        super().__init__(data)
        self.fields["subject"].choices = [("", "All subjects")] + [
            (subject["slug"], subject["name"]) for subject in subjects
        ]

    def subject_slug(self) -> str:
        """The chosen subject's slug, or "" for none or an unknown one."""
        return self.cleaned_data["subject"] if self.is_valid() else ""
