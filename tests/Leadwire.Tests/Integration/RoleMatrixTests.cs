using System.Net;
using System.Net.Http.Json;
using Leadwire.Data;
using Leadwire.Infrastructure;
using Leadwire.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leadwire.Tests.Integration;

/// <summary>
/// Every API endpoint × owner / admin / agent / anonymous × own / other workspace: the status each must answer,
/// and that nothing of the other workspace ever appears in an answer.
/// </summary>
public sealed class RoleMatrixTests
{
    private const string ForeignEmail = "foreign.secret@other-workspace.example";
    private const string ForeignMetaLeadId = "990000000000099";

    private enum Who { Owner, Admin, Agent, Anonymous }

    /// <summary>One request and the least role that may make it (null: any signed-in user).</summary>
    private sealed record Probe(HttpMethod Method, string Url, WorkspaceRole? Minimum, object? Body = null, bool Mutates = false);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task EveryEndpoint_EachRole_AnswersAsItsRoleAllowsAndNeverLeaksAnotherWorkspace(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = await LeadwireHost.StartAsync(database, null);
        var world = await World.CreateAsync(host);

        Probe[] reads =
        [
            new(HttpMethod.Get, "/api/v1/me", null),
            new(HttpMethod.Get, "/api/v1/workspaces", null),
            new(HttpMethod.Get, "/api/v1/workspace", WorkspaceRole.Agent),
            new(HttpMethod.Get, "/api/v1/leads", WorkspaceRole.Agent),
            new(HttpMethod.Get, $"/api/v1/leads/{world.AgentLeadId}", WorkspaceRole.Agent),
            new(HttpMethod.Get, "/api/v1/tags", WorkspaceRole.Agent),
            new(HttpMethod.Get, "/api/v1/pages", WorkspaceRole.Agent),
            new(HttpMethod.Get, "/api/v1/scoring/rules", WorkspaceRole.Agent),
            new(HttpMethod.Get, "/api/v1/recommendations", WorkspaceRole.Agent),
            new(HttpMethod.Get, "/api/v1/scoring/distribution", WorkspaceRole.Agent),
            new(HttpMethod.Get, "/api/v1/bulk-operations", WorkspaceRole.Agent),
            new(HttpMethod.Get, "/api/v1/tokens", WorkspaceRole.Agent),
            new(HttpMethod.Get, "/api/v1/workspace/members", WorkspaceRole.Admin),
            new(HttpMethod.Get, "/api/v1/assignment/rules", WorkspaceRole.Admin),
            new(HttpMethod.Get, "/api/v1/jobs", WorkspaceRole.Admin),
            new(HttpMethod.Get, "/api/v1/leads/export?format=csv", WorkspaceRole.Admin),
            new(HttpMethod.Get, "/api/v1/audit", WorkspaceRole.Owner),
        ];
        Probe[] writes =
        [
            new(HttpMethod.Post, $"/api/v1/leads/{world.AgentLeadId}/notes", WorkspaceRole.Agent, new { text = "Called back" }, Mutates: true),
            new(HttpMethod.Put, $"/api/v1/leads/{world.AgentLeadId}/assignee", WorkspaceRole.Admin, new { user_id = world.AgentUserId }),
            new(HttpMethod.Delete, $"/api/v1/leads/{world.AgentLeadId}", WorkspaceRole.Admin),
            new(HttpMethod.Post, $"/api/v1/leads/{world.AgentLeadId}/erase", WorkspaceRole.Admin),
            new(HttpMethod.Put, "/api/v1/scoring/rules", WorkspaceRole.Admin, new { contact_completeness_weight = 30 }),
            new(HttpMethod.Post, "/api/v1/assignment/rules", WorkspaceRole.Admin, new { assignee_user_id = world.AgentUserId }),
            new(HttpMethod.Post, "/api/v1/pages", WorkspaceRole.Admin, new { page_id = "not-digits", name = "x", access_token = "y" }),
            new(HttpMethod.Post, "/api/v1/bulk-operations", WorkspaceRole.Admin, new { action = "delete", lead_ids = new[] { world.AgentLeadId } }),
            new(HttpMethod.Patch, "/api/v1/workspace", WorkspaceRole.Owner, new { name = "Renamed" }),
            new(HttpMethod.Post, "/api/v1/workspace/members", WorkspaceRole.Owner, new { email = "new.member@example.com", role = "agent", password = "a-long-password-1" }),
        ];

        foreach (var who in Enum.GetValues<Who>())
        {
            var client = world.Client(who);
            foreach (var probe in reads)
            {
                using var response = await SendAsync(client, probe);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(Expected(who, probe.Minimum) == response.StatusCode,
                    $"{who} {probe.Method} {probe.Url}: expected {Expected(who, probe.Minimum)}, got {(int)response.StatusCode} {body}");
                Assert.DoesNotContain(ForeignEmail, body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(ForeignMetaLeadId, body, StringComparison.Ordinal);
            }
        }

        // The other workspace's lead is a 404 for every role and every verb, never its data.
        foreach (var who in new[] { Who.Owner, Who.Admin, Who.Agent })
        {
            var client = world.Client(who);
            Probe[] foreign =
            [
                new(HttpMethod.Get, $"/api/v1/leads/{world.ForeignLeadId}", WorkspaceRole.Agent),
                new(HttpMethod.Post, $"/api/v1/leads/{world.ForeignLeadId}/status", WorkspaceRole.Agent, new { status = "contacted" }),
                new(HttpMethod.Post, $"/api/v1/leads/{world.ForeignLeadId}/notes", WorkspaceRole.Agent, new { text = "x" }),
                new(HttpMethod.Post, $"/api/v1/leads/{world.ForeignLeadId}/tags", WorkspaceRole.Agent, new { tag = "x" }),
            ];
            foreach (var probe in foreign)
            {
                using var response = await SendAsync(client, probe);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{who} {probe.Method} {probe.Url}: expected 404, got {(int)response.StatusCode} {body}");
                Assert.DoesNotContain(ForeignEmail, body, StringComparison.OrdinalIgnoreCase);
            }

            // Naming the other workspace outright is refused.
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/leads");
            request.Headers.Add("Leadwire-Workspace", world.ForeignWorkspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var named = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, named.StatusCode);
            Assert.DoesNotContain(ForeignEmail, await named.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }

        // An agent sees only the leads assigned to them.
        using (var other = await world.Client(Who.Agent).GetAsync($"/api/v1/leads/{world.UnassignedLeadId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }
        var agentList = await world.Client(Who.Agent).GetStringAsync("/api/v1/leads");
        Assert.Contains(world.AgentMetaLeadId, agentList, StringComparison.Ordinal);
        Assert.DoesNotContain(world.UnassignedMetaLeadId, agentList, StringComparison.Ordinal);
        // Writes last (some succeed and change the data the reads above relied on), refusals first: only the
        // refusals are asserted here (successes are each feature's own tests); a role that may make the request must
        // not be refused for its role.
        foreach (var who in new[] { Who.Anonymous, Who.Agent, Who.Admin, Who.Owner })
        {
            var client = world.Client(who);
            foreach (var probe in writes)
            {
                using var response = await SendAsync(client, probe);
                var expected = Expected(who, probe.Minimum);
                if (expected != HttpStatusCode.OK)
                {
                    Assert.True(expected == response.StatusCode, $"{who} {probe.Method} {probe.Url}: expected {expected}, got {(int)response.StatusCode}");
                }
                else
                {
                    Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                        $"{who} {probe.Method} {probe.Url}: refused with {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
    }

    /// <summary>
    /// The sweep behind the matrix above: every endpoint the host maps under /api/v1, found at run time so a new one
    /// cannot be forgotten. Anonymous: 401 unless the endpoint allows anonymous callers. Each role of workspace A,
    /// with every route value pointing at workspace B's lead, page or id: never a success, never B's data.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task EveryMappedEndpoint_ForeignRouteValuesOrNoCredentials_RefusedWithoutLeaking(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = await LeadwireHost.StartAsync(database, null);
        var world = await World.CreateAsync(host);
        var endpoints = host.Services.GetServices<Microsoft.AspNetCore.Routing.EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (Endpoint: e, Method: method)))
            // Deletes last: one that succeeds must not change what the others are probed against.
            .OrderBy(p => p.Method == "DELETE")
            .ToList();
        Assert.True(endpoints.Count >= 50, $"only {endpoints.Count} endpoints found under /api/v1");

        var probed = 0;
        foreach (var (endpoint, method) in endpoints)
        {
            var pattern = endpoint.RoutePattern;
            var url = "/" + pattern.RawText!.TrimStart('/');
            foreach (var parameter in pattern.Parameters)
            {
                // Numbers: B's lead on lead routes; elsewhere an id nobody has (small ids of other tables may be A's own).
                var value = !parameter.ParameterPolicies.Any(p => p.Content?.StartsWith("long", StringComparison.Ordinal) == true) ? "100000000000502"
                    : pattern.RawText.Contains("/leads/", StringComparison.Ordinal) ? world.ForeignLeadId.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : "999999999";
                url = System.Text.RegularExpressions.Regex.Replace(url, "\\{" + parameter.Name + "(:[^}]*)?\\}", value);
            }
            var anonymous = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
            foreach (var who in new[] { Who.Anonymous, Who.Agent, Who.Admin, Who.Owner })
            {
                if (who == Who.Anonymous && anonymous)
                {
                    continue;
                }
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = JsonContent.Create(new { });
                }
                // Headers first: the live feed (text/event-stream) never ends, so its body is not read to the end.
                using var response = await world.Client(who).SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                var body = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync();
                var what = $"{who} {method} {url} ({pattern.RawText})";
                Assert.DoesNotContain(ForeignEmail, body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(ForeignMetaLeadId, body, StringComparison.Ordinal);
                if (who == Who.Anonymous)
                {
                    Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: expected 401, got {(int)response.StatusCode} {body}");
                }
                else if (pattern.Parameters.Count > 0)
                {
                    Assert.False(response.IsSuccessStatusCode, $"{what}: another workspace's id answered {(int)response.StatusCode} {body}");
                    Assert.True((int)response.StatusCode is 400 or 403 or 404 or 409 or 422,
                        $"{what}: expected a refusal (400/403/404/409/422), got {(int)response.StatusCode} {body}");
                }
                probed++;
            }
        }
        Assert.True(probed > 150);

        // K2: each of them is described in the OpenAPI document, which the interactive docs at /docs read.
        var paths = (await host.Anonymous.GetFromJsonAsync<System.Text.Json.JsonElement>("/openapi/v1.json")).GetProperty("paths");
        foreach (var (endpoint, method) in endpoints)
        {
            var path = "/" + System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText!.Trim('/'), ":[^}]*}", "}");
            Assert.True(paths.TryGetProperty(path, out var operations) && operations.TryGetProperty(method.ToLowerInvariant(), out _),
                $"{method} {path} is not in /openapi/v1.json");
        }
        using var docs = await host.Anonymous.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("swagger-ui", await docs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The page's script is configured with the document's address.
        Assert.Contains("/openapi/v1.json", await host.Anonymous.GetStringAsync("/docs/index.js"), StringComparison.Ordinal);
    }

    private static HttpStatusCode Expected(Who who, WorkspaceRole? minimum) => who switch
    {
        Who.Anonymous => HttpStatusCode.Unauthorized,
        _ when minimum is null => HttpStatusCode.OK,
        _ => Role(who) >= minimum ? HttpStatusCode.OK : HttpStatusCode.Forbidden,
    };

    private static WorkspaceRole Role(Who who) => who switch
    {
        Who.Owner => WorkspaceRole.Owner,
        Who.Admin => WorkspaceRole.Admin,
        _ => WorkspaceRole.Agent,
    };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Probe probe)
    {
        using var request = new HttpRequestMessage(probe.Method, probe.Url);
        if (probe.Body is not null)
        {
            request.Content = JsonContent.Create(probe.Body);
        }
        return await client.SendAsync(request);
    }

    /// <summary>Workspace A (the bootstrap owner's) with an owner, an admin and an agent; workspace B with one lead.</summary>
    private sealed class World
    {
        private readonly Dictionary<Who, HttpClient> _clients = [];

        public long AgentUserId { get; private set; }
        public long AgentLeadId { get; private set; }
        public string AgentMetaLeadId { get; } = "990000000000001";
        public long UnassignedLeadId { get; private set; }
        public string UnassignedMetaLeadId { get; } = "990000000000002";
        public long ForeignWorkspaceId { get; private set; }
        public long ForeignLeadId { get; private set; }

        public HttpClient Client(Who who) => _clients[who];

        public static async Task<World> CreateAsync(LeadwireHost host)
        {
            var world = new World();
            long workspaceA;
            await using (var scope = host.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
                workspaceA = db.Memberships.Where(m => m.Role == WorkspaceRole.Owner).OrderBy(m => m.UserId).First().WorkspaceId;
            }
            world.ForeignWorkspaceId = await TestAccounts.CreateWorkspaceAsync(host, "Other client");

            var (_, owner) = await TestAccounts.CreateMemberAsync(host, workspaceA, WorkspaceRole.Owner, "owner2@example.com");
            var (_, admin) = await TestAccounts.CreateMemberAsync(host, workspaceA, WorkspaceRole.Admin, "admin@example.com");
            var (agentId, agent) = await TestAccounts.CreateMemberAsync(host, workspaceA, WorkspaceRole.Agent, "agent@example.com");
            var (_, foreignOwner) = await TestAccounts.CreateMemberAsync(host, world.ForeignWorkspaceId, WorkspaceRole.Owner, "foreign.owner@example.com");
            foreignOwner.Dispose();
            world.AgentUserId = agentId;
            world._clients[Who.Owner] = owner;
            world._clients[Who.Admin] = admin;
            world._clients[Who.Agent] = agent;
            world._clients[Who.Anonymous] = host.Anonymous;

            await using (var scope = host.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<LeadwireDbContext>();
                var now = TimeProvider.System.GetUtcNow().UtcDateTime;
                var pageA = NewPage(workspaceA, "100000000000501", now);
                var pageB = NewPage(world.ForeignWorkspaceId, "100000000000502", now);
                db.Pages.AddRange(pageA, pageB);
                await db.SaveChangesAsync();

                var agentLead = NewLead(workspaceA, pageA, world.AgentMetaLeadId, "Agent's lead", "agents.lead@example.com", now);
                agentLead.AssigneeUserId = agentId;
                var unassigned = NewLead(workspaceA, pageA, world.UnassignedMetaLeadId, "Nobody's lead", "nobody@example.com", now);
                var foreign = NewLead(world.ForeignWorkspaceId, pageB, ForeignMetaLeadId, "Foreign Person", ForeignEmail, now);
                db.Leads.AddRange(agentLead, unassigned, foreign);
                await db.SaveChangesAsync();
                world.AgentLeadId = agentLead.Id;
                world.UnassignedLeadId = unassigned.Id;
                world.ForeignLeadId = foreign.Id;
            }
            return world;
        }

        private static Page NewPage(long workspaceId, string metaPageId, DateTime now) => new()
        {
            WorkspaceId = workspaceId, MetaPageId = metaPageId, Name = "Page " + metaPageId, AccessTokenProtected = "unused",
            CreatedAt = now, UpdatedAt = now, TokenUpdatedAt = now,
        };

        private static Lead NewLead(long workspaceId, Page page, string metaLeadId, string name, string email, DateTime now) => new()
        {
            WorkspaceId = workspaceId, PageId = page.Id, MetaPageId = page.MetaPageId, MetaLeadId = metaLeadId, CreatedTime = now,
            FullName = name, Email = email, EmailNormalized = email, NameNormalized = name.ToLowerInvariant(),
            AnswersJson = $$"""{"email":"{{email}}"}""", RawJson = "{}", StoredAt = now,
        };
    }
}
