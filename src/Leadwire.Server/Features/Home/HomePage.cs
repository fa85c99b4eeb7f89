using System.Globalization;
using System.Net;
using System.Text;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Leadwire.Features.Home;

/// <summary>
/// <c>/</c>: a plain page until the dashboard exists. In demo mode it lists the latest leads and offers a button
/// that sends a test lead through the emulator; otherwise it shows no lead data without a token.
/// </summary>
public static class HomePage
{
    public static IEndpointRouteBuilder MapHomePage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", RenderAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    internal static async Task<IResult> RenderAsync(LeadwireDbContext db, DemoState demo, CancellationToken cancellationToken)
    {
        var html = new StringBuilder();
        html.Append("""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Leadwire</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}
            th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #ddd}th{background:#f4f4f4}code{background:#f4f4f4;padding:.1rem .3rem}
            button{font-size:1rem;padding:.4rem 1rem}</style>
            """);
        if (demo.Enabled)
        {
            html.Append("<meta http-equiv=\"refresh\" content=\"3\">");
        }
        html.Append("</head><body><h1>Leadwire</h1>");

        if (!demo.Enabled)
        {
            html.Append("""
                <p>Leadwire is running. Leads are captured at <code>/webhooks/meta</code> and served by the REST API at
                <code>/api/v1</code> (send <code>Authorization: Bearer &lt;token&gt;</code>). The API is described at
                <a href="/openapi/v1.json">/openapi/v1.json</a>.</p></body></html>
                """);
            return Results.Content(html.ToString(), "text/html; charset=utf-8");
        }

        var leads = await db.Leads.AsNoTracking()
            .OrderByDescending(l => l.Id)
            .Take(25)
            .Select(l => new { l.Id, l.MetaLeadId, l.FullName, l.Email, l.Phone, l.CampaignName, l.IsTest, l.CreatedTime, l.StoredAt })
            .ToListAsync(cancellationToken);
        var total = await db.Leads.CountAsync(cancellationToken);

        html.Append(CultureInfo.InvariantCulture, $"""
            <p><strong>Demo mode</strong>: the Meta emulator runs inside this process. Send a test lead and watch it
            arrive below (the page refreshes every 3 seconds). {total} lead(s) stored.</p>
            <form method="post" action="/demo/test-lead"><button type="submit">Send test lead</button></form>
            <p>From a terminal: <code>curl -X POST http://localhost:5080/demo/test-lead</code></p>
            <table><thead><tr><th>#</th><th>Meta lead id</th><th>Name</th><th>Email</th><th>Phone</th><th>Campaign</th><th>Created (UTC)</th><th>Stored after</th></tr></thead><tbody>
            """);
        if (leads.Count == 0)
        {
            html.Append("<tr><td colspan=\"8\">No leads yet: press <em>Send test lead</em>.</td></tr>");
        }
        foreach (var lead in leads)
        {
            var lag = lead.StoredAt - lead.CreatedTime;
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr><td>{lead.Id}</td><td>{E(lead.MetaLeadId)}{(lead.IsTest ? " (test)" : "")}</td><td>{E(lead.FullName)}</td><td>{E(lead.Email)}</td>
                <td>{E(lead.Phone)}</td><td>{E(lead.CampaignName)}</td><td>{lead.CreatedTime:yyyy-MM-dd HH:mm:ss}</td><td>{lag.TotalSeconds:0.0} s</td></tr>
                """);
        }
        html.Append("</tbody></table></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
