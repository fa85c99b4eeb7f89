namespace Leadwire.MetaEmulator.Graph;

/// <summary>What a Graph request does; the snake_case name is used by faults and stats.</summary>
internal enum GraphEndpoint
{
    Unknown,
    Lead,
    DeleteLead,
    Form,
    UpdateForm,
    Page,
    App,
    FormLeads,
    LeadgenForms,
    TestLeads,
    SubscribedApps,
    Subscriptions,
}

internal static class GraphEndpointNames
{
    private static readonly string[] Names =
    [
        "unknown", "lead", "delete_lead", "form", "update_form", "page", "app", "form_leads", "leadgen_forms",
        "test_leads", "subscribed_apps", "subscriptions",
    ];

    public static int Count => Names.Length;

    public static string Name(this GraphEndpoint endpoint) => Names[(int)endpoint];

    public static bool IsKnownName(string name) => Array.IndexOf(Names, name) >= 0;

    public static GraphEndpoint Classify(string method, string? edge, TargetKind kind)
    {
        var get = HttpMethods.IsGet(method);
        var post = HttpMethods.IsPost(method);
        var delete = HttpMethods.IsDelete(method);
        return (edge, kind) switch
        {
            (null, TargetKind.Lead) when get => GraphEndpoint.Lead,
            (null, TargetKind.Lead) when delete => GraphEndpoint.DeleteLead,
            (null, TargetKind.Form) when get => GraphEndpoint.Form,
            (null, TargetKind.Form) when post => GraphEndpoint.UpdateForm,
            (null, TargetKind.Page) when get => GraphEndpoint.Page,
            (null, TargetKind.App) when get => GraphEndpoint.App,
            ("leads", TargetKind.Form) when get => GraphEndpoint.FormLeads,
            ("leadgen_forms", TargetKind.Page) when get => GraphEndpoint.LeadgenForms,
            ("test_leads", TargetKind.Form) when get || post => GraphEndpoint.TestLeads,
            ("subscribed_apps", TargetKind.Page) when get || post || delete => GraphEndpoint.SubscribedApps,
            ("subscriptions", TargetKind.App) when get || post || delete => GraphEndpoint.Subscriptions,
            _ => GraphEndpoint.Unknown,
        };
    }
}
