using System.Globalization;
using Leadwire.MetaEmulator.Json;
using Leadwire.MetaEmulator.Webhooks;

namespace Leadwire.MetaEmulator.State;

internal sealed class LeadOperations(EmulatorState state, WebhookQueue webhooks)
{
    public const int MaxBulk = 100_000;

    public Outcome<LeadRecord> Create(CreateLeadRequest request)
    {
        if (!state.Forms.TryGetValue(request.FormId ?? string.Empty, out var form))
        {
            return Failure.NotFound($"form {request.FormId} does not exist.");
        }

        var isOrganic = request.IsOrganic ?? false;
        var givenAd = request.AdId is not null || request.AdName is not null || request.AdsetId is not null
            || request.AdsetName is not null || request.CampaignId is not null || request.CampaignName is not null;
        if (isOrganic && givenAd)
        {
            return Failure.BadRequest("organic leads have no ad, ad set or campaign fields.");
        }

        var platform = request.Platform ?? "fb";
        if (platform is not ("fb" or "ig"))
        {
            return Failure.BadRequest("platform must be \"fb\" or \"ig\".");
        }

        if (ValidateAnswers(request.FieldData, request.CustomDisclaimerResponses) is { } invalid)
        {
            return invalid;
        }

        if (state.TryClaimId(request.Id, state.LeadIds, out var id) is { } idRefused)
        {
            return idRefused;
        }

        var number = long.Parse(id, CultureInfo.InvariantCulture);
        var created = request.CreatedTime?.ToUnixTimeSeconds() ?? state.NowUnix;
        var lead = new LeadRecord
        {
            Id = id,
            Number = number,
            Form = form,
            CreatedUnix = created,
            CreatedTime = MetaTime.Format(created),
            FieldData = request.FieldData ?? FakeAnswers.Generate(form.Questions, AnswerSeed(number)),
            Ad = isOrganic ? null : givenAd ? GivenAd(request) : form.DefaultAd,
            IsOrganic = isOrganic,
            Platform = platform,
            PartnerName = request.PartnerName,
            RetailerItemId = request.RetailerItemId,
            CustomDisclaimerResponses = request.CustomDisclaimerResponses,
            PostSubmissionCheckResult = request.PostSubmissionCheckResult,
        };

        if (!state.Leads.TryAdd(id, lead))
        {
            return Failure.Conflict($"id {id} is already in use.");
        }

        form.Leads.Add(lead);
        if (request.Deliver ?? true)
        {
            webhooks.Enqueue(lead);
        }

        return lead;
    }

    /// <summary>Many leads at once, created_time spread evenly over [created_from, created_to].</summary>
    public Outcome<IReadOnlyList<string>> CreateBulk(BulkLeadsRequest request)
    {
        if (!state.Forms.TryGetValue(request.FormId ?? string.Empty, out var form))
        {
            return Failure.NotFound($"form {request.FormId} does not exist.");
        }

        if (request.Count is < 1 or > MaxBulk)
        {
            return Failure.BadRequest($"count must be 1..{MaxBulk}.");
        }

        var count = request.Count;
        var now = state.NowUnix;
        var to = request.CreatedTo?.ToUnixTimeSeconds()
            ?? (request.CreatedFrom is { } start ? Math.Max(now, start.ToUnixTimeSeconds()) : now);
        var from = request.CreatedFrom?.ToUnixTimeSeconds() ?? (to - (count - 1));
        if (from > to)
        {
            return Failure.BadRequest("created_from must not be after created_to.");
        }

        var isOrganic = request.IsOrganic ?? false;
        var leads = new LeadRecord[count];
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            var created = count == 1 ? to : from + (long)((Int128)(to - from) * i / (count - 1));
            LeadRecord lead;
            do
            {
                var id = state.NextFreeId(state.LeadIds);
                var number = long.Parse(id, CultureInfo.InvariantCulture);
                lead = new LeadRecord
                {
                    Id = id,
                    Number = number,
                    Form = form,
                    CreatedUnix = created,
                    CreatedTime = MetaTime.Format(created),
                    FieldData = FakeAnswers.Generate(form.Questions, AnswerSeed(number)),
                    Ad = isOrganic ? null : form.DefaultAd,
                    IsOrganic = isOrganic,
                    Platform = "fb",
                };
            }
            while (!state.Leads.TryAdd(lead.Id, lead));

            leads[i] = lead;
            ids[i] = lead.Id;
        }

        // Sequence ids and times both grow with i, so the batch is already in index order; sort only if a
        // concurrent writer took ids out of order.
        if (!IsSorted(leads))
        {
            Array.Sort(leads, static (left, right) => CreationKey.Compare(left.Key, right.Key));
        }

        form.Leads.AddRange(leads);
        if (request.Deliver ?? false)
        {
            foreach (var lead in leads)
            {
                webhooks.Enqueue(lead);
            }
        }

        return ids;
    }

    public Outcome<IReadOnlyList<LeadSummary>> List(string? formId, int limit)
    {
        limit = Math.Max(0, limit);
        if (formId is null)
        {
            return Outcome<IReadOnlyList<LeadSummary>>.FromValue(
                [.. state.Leads.Values.OrderByDescending(lead => lead.CreatedUnix).ThenByDescending(lead => lead.Number).Take(limit).Select(lead => lead.ToSummary())]);
        }

        if (!state.Forms.TryGetValue(formId, out var form))
        {
            return Failure.NotFound($"form {formId} does not exist.");
        }

        var snapshot = form.Leads.Snapshot;
        var summaries = new List<LeadSummary>(Math.Min(limit, snapshot.Count));
        for (var i = snapshot.Count - 1; i >= 0 && summaries.Count < limit; i--)
        {
            summaries.Add(snapshot.Items[i].ToSummary());
        }

        return summaries;
    }

    /// <summary>Like the Lead Ads Testing Tool: organic, no ad, dummy answers, one per form. Null if one exists.</summary>
    public LeadRecord? TryCreateTestLead(FormState form, IReadOnlyList<FieldDataItem>? given, IReadOnlyList<DisclaimerResponse>? disclaimers)
    {
        var id = state.NextFreeId(state.LeadIds);
        if (!form.TryClaimTestLead(id))
        {
            return null;
        }

        var answers = new List<FieldDataItem>(form.Questions.Count);
        foreach (var question in form.Questions)
        {
            var custom = given?.FirstOrDefault(item => item.Name == question.Key);
            answers.Add(custom ?? new FieldDataItem
            {
                Name = question.Key,
                Values = [QuestionCatalog.IsEmail(question.Type) ? "test@meta.com" : $"<test lead: dummy data for {question.Key}>"],
            });
        }

        if (given is not null)
        {
            answers.AddRange(given.Where(item => !form.Questions.Any(question => question.Key == item.Name)));
        }

        var created = state.NowUnix;
        var lead = new LeadRecord
        {
            Id = id,
            Number = long.Parse(id, CultureInfo.InvariantCulture),
            Form = form,
            CreatedUnix = created,
            CreatedTime = MetaTime.Format(created),
            FieldData = answers,
            IsOrganic = true,
            Platform = "fb",
            CustomDisclaimerResponses = disclaimers,
            IsTest = true,
        };

        state.Leads[id] = lead;
        form.Leads.Add(lead);
        webhooks.Enqueue(lead);
        return lead;
    }

    public bool Delete(LeadRecord lead)
    {
        if (!state.Leads.TryRemove(KeyValuePair.Create(lead.Id, lead)))
        {
            return false;
        }

        lead.Form.Leads.Remove(lead);
        lead.Form.ReleaseTestLead(lead.Id);
        return true;
    }

    public static Failure? ValidateAnswers(IReadOnlyList<FieldDataItem>? fieldData, IReadOnlyList<DisclaimerResponse>? disclaimers)
    {
        if (fieldData is not null && fieldData.Any(item => string.IsNullOrEmpty(item?.Name) || item.Values is null || item.Values.Any(value => value is null)))
        {
            return Failure.BadRequest("every field_data item needs a name and a list of string values.");
        }

        if (disclaimers is not null && disclaimers.Any(item => string.IsNullOrEmpty(item?.CheckboxKey) || item.IsChecked is not ("1" or "")))
        {
            return Failure.BadRequest("every custom_disclaimer_responses item needs checkbox_key and is_checked \"1\" or \"\".");
        }

        return null;
    }

    private ulong AnswerSeed(long leadNumber) => ((ulong)state.Settings.Seed * 0x9E3779B97F4A7C15UL) ^ (ulong)leadNumber;

    private static AdInfo GivenAd(CreateLeadRequest request) => new()
    {
        AdId = request.AdId,
        AdName = request.AdName,
        AdsetId = request.AdsetId,
        AdsetName = request.AdsetName,
        CampaignId = request.CampaignId,
        CampaignName = request.CampaignName,
    };

    private static bool IsSorted(LeadRecord[] leads)
    {
        for (var i = 1; i < leads.Length; i++)
        {
            if (CreationKey.Compare(leads[i - 1].Key, leads[i].Key) > 0)
            {
                return false;
            }
        }

        return true;
    }
}
