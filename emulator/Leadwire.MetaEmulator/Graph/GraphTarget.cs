using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Graph;

internal enum TargetKind
{
    None,
    Lead,
    Form,
    Page,
    App,
}

/// <summary>The object named by the id in the path.</summary>
internal readonly record struct GraphTarget(TargetKind Kind, LeadRecord? Lead, FormState? Form, PageState? Page)
{
    public string? PageId => Page?.Id;

    public string NodeType => Kind switch
    {
        TargetKind.Lead => "Lead",
        TargetKind.Form => "LeadgenForm",
        TargetKind.Page => "Page",
        TargetKind.App => "Application",
        _ => "Unknown",
    };

    public static GraphTarget Resolve(EmulatorState state, string id)
    {
        if (state.Leads.TryGetValue(id, out var lead))
        {
            return new GraphTarget(TargetKind.Lead, lead, lead.Form, lead.Form.Page);
        }

        if (state.Forms.TryGetValue(id, out var form))
        {
            return new GraphTarget(TargetKind.Form, null, form, form.Page);
        }

        if (state.Pages.TryGetValue(id, out var page))
        {
            return new GraphTarget(TargetKind.Page, null, null, page);
        }

        return string.Equals(id, state.App.AppId, StringComparison.Ordinal)
            ? new GraphTarget(TargetKind.App, null, null, null)
            : default;
    }
}
