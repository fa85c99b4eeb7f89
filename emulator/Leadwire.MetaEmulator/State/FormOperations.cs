using System.Globalization;

namespace Leadwire.MetaEmulator.State;

internal sealed class FormOperations(EmulatorState state)
{
    public static readonly string[] Statuses = ["ACTIVE", "ARCHIVED", "DELETED", "DRAFT"];

    public Outcome<FormView> Create(CreateFormRequest request)
    {
        if (!state.Pages.TryGetValue(request.PageId ?? string.Empty, out var page))
        {
            return Failure.NotFound($"page {request.PageId} does not exist.");
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return Failure.BadRequest("name is required.");
        }

        var status = (request.Status ?? "ACTIVE").ToUpperInvariant();
        if (!Statuses.Contains(status, StringComparer.Ordinal))
        {
            return Failure.BadRequest("status must be ACTIVE, ARCHIVED, DELETED or DRAFT.");
        }

        var locale = request.Locale ?? "EN_US";
        if (locale.Length == 0)
        {
            return Failure.BadRequest("locale must not be empty.");
        }

        if (request.Questions is not { Count: > 0 })
        {
            return Failure.BadRequest("questions must contain at least one question.");
        }

        var questions = BuildQuestions(request.Questions);
        if (questions.Failure is { } failure)
        {
            return failure;
        }

        if (state.TryClaimId(request.Id, state.FormIds, out var id) is { } idRefused)
        {
            return idRefused;
        }

        var created = request.CreatedTime?.ToUnixTimeSeconds() ?? state.NowUnix;
        var form = new FormState
        {
            Id = id,
            Number = long.Parse(id, CultureInfo.InvariantCulture),
            Page = page,
            Name = request.Name,
            Status = status,
            Locale = locale,
            CreatedUnix = created,
            CreatedTime = Json.MetaTime.Format(created),
            Questions = questions.Value!,
            DefaultAd = new AdInfo
            {
                AdId = state.NextFreeId(state.AdIds),
                AdName = request.Name + " - Ad",
                AdsetId = state.NextFreeId(state.AdsetIds),
                AdsetName = request.Name + " - Ad set",
                CampaignId = state.NextFreeId(state.CampaignIds),
                CampaignName = request.Name + " - Campaign",
            },
        };

        if (!state.Forms.TryAdd(id, form))
        {
            return Failure.Conflict($"id {id} is already in use.");
        }

        page.AddForm(form);
        return form.ToView();
    }

    public IReadOnlyList<FormView> List(string? pageId) =>
        [.. state.Forms.Values
            .Where(form => pageId is null || form.Page.Id == pageId)
            .OrderBy(form => form.Number)
            .Select(form => form.ToView())];

    private Outcome<IReadOnlyList<FormQuestion>> BuildQuestions(IReadOnlyList<QuestionRequest> requests)
    {
        var questions = new List<FormQuestion>(requests.Count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (string.IsNullOrWhiteSpace(request?.Type))
            {
                return Failure.BadRequest($"questions[{i}].type is required.");
            }

            var type = request.Type.Trim().ToUpperInvariant();
            string key, label;
            if (QuestionCatalog.TryGetStandard(type, out var standardKey, out var standardLabel))
            {
                key = request.Key ?? standardKey;
                label = request.Label ?? standardLabel;
            }
            else if (type == "CUSTOM")
            {
                key = request.Key ?? (request.Label is null ? string.Empty : QuestionCatalog.KeyFromText(request.Label));
                if (key.Length == 0)
                {
                    return Failure.BadRequest($"questions[{i}]: a CUSTOM question needs a key or a label.");
                }

                label = request.Label ?? key;
            }
            else
            {
                key = request.Key ?? QuestionCatalog.KeyFromText(type);
                label = request.Label ?? type;
            }

            if (!keys.Add(key))
            {
                return Failure.BadRequest($"questions[{i}]: key '{key}' is used twice.");
            }

            if (request.Options is { } options && options.Any(option => string.IsNullOrEmpty(option?.Key)))
            {
                return Failure.BadRequest($"questions[{i}]: every option needs a key.");
            }

            questions.Add(new FormQuestion
            {
                Id = state.QuestionIds.Next().ToString(CultureInfo.InvariantCulture),
                Key = key,
                Label = label,
                Type = type,
                Options = request.Options is { Count: > 0 } ? request.Options : null,
            });
        }

        return Outcome<IReadOnlyList<FormQuestion>>.FromValue(questions);
    }
}
