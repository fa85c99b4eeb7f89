using Microsoft.OpenApi;

namespace Leadwire.Features.Leads;

/// <summary>
/// The lead list's query parameters in the OpenAPI document. The list reads them from the query string itself
/// (<see cref="LeadFilter.Parse"/>, shared with export and bulk operations), so the framework cannot infer them.
/// </summary>
public static class LeadListParameters
{
    private static readonly (string Name, string Description)[] Filter =
    [
        ("status", "One or more of new, contacted, qualified, converted, disqualified, archived, comma-separated."),
        ("page_id", "Meta page id."),
        ("form_id", "Meta form id."),
        ("campaign_id", "Meta campaign id."),
        ("ad_id", "Meta ad id."),
        ("assignee", "A user id, 'me', or 'none' (unassigned)."),
        ("tag", "Leads carrying this tag."),
        ("score_min", "Lowest score, 0-100, inclusive."),
        ("score_max", "Highest score, 0-100, inclusive."),
        ("created_since", "ISO-8601 time, inclusive."),
        ("created_until", "ISO-8601 time, exclusive."),
        ("is_test", "true or false: leads from Meta's Lead Ads Testing Tool."),
        ("q", "Search: an email (exact), a phone number (digits compared), otherwise the start of the name."),
        ("deleted", "true: soft-deleted leads only (admins and owners)."),
    ];

    private static readonly (string Name, string Description)[] Paging =
    [
        ("sort", "created_desc (default), created_asc, score_desc, score_asc or updated_desc."),
        ("limit", "1-500, default 50."),
        ("cursor", "next_cursor of the previous page (of the same sort)."),
    ];

    /// <summary>Documents the filter parameters, and with <paramref name="paging"/> the sort and pagination ones.</summary>
    public static TBuilder WithLeadListParameters<TBuilder>(this TBuilder builder, bool paging)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var (name, description) in paging ? Filter.Concat(Paging) : Filter)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Description = description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }
            return Task.CompletedTask;
        });
        return builder;
    }
}
